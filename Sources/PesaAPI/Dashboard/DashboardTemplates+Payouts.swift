import Mustache

/// The payout and batch pages' templates: the B2C form, the batch list, the upload form with its preview, one
/// batch. Every value is written with `{{name}}` (escaped), the CSV carried by the preview's form too.
extension DashboardTemplates {
    static let payoutForm = parse(
        """
        <h1>Send a payout</h1>
        {{#environment}}<p class="env env-{{environment}}">{{environment_label}}</p>{{/environment}}
        {{#no_short_code}}<p class="notice">This organization has no short code that can pay out yet (one with an
        initiator).</p>
        {{/no_short_code}}
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <form method="post" action="/ui/payouts/new{{#org}}?org={{org}}{{/org}}" class="card">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{idempotency_key}}">
        """ + shortCodeChoice + """
            <label for="command">Command</label>
            <select id="command" name="command"{{#command_error}} aria-invalid="true"{{/command_error}}>
            {{#commands}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/commands}}
            </select>
            {{#command_error}}<p class="error" id="command-error">{{command_error}}</p>{{/command_error}}
            """ + textFields
                + """
                <button type="submit">Send the payout</button>
                </form>
                """)

    /// The page that asks to confirm a payout or a reversal: nothing is sent until its Confirm is posted.
    static let moneyConfirmation = parse(
        """
        <h1>{{title}}</h1>
        <p class="env env-{{environment}}">{{environment_label}}</p>
        <p><strong>{{question}}</strong></p>
        <dl class="card">
        {{#details}}<dt>{{label}}</dt><dd>{{value}}</dd>
        {{/details}}
        </dl>
        <p>Nothing is sent until you confirm. Money sent cannot be called back.</p>
        <form method="post" action="{{action}}{{#org}}?org={{org}}{{/org}}" class="card">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{idempotency_key}}">
        {{#hidden}}<input type="hidden" name="{{name}}" value="{{value}}">
        {{/hidden}}
        <button type="submit" name="confirm" value="yes">Confirm</button>
        <button type="submit" name="confirm" value="edit" class="secondary">Edit</button>
        </form>
        """)

    static let batchList = parse(
        """
        <h1>Batches</h1>
        {{#can_create}}<p><a href="/ui/batches/new{{#org}}?org={{org}}{{/org}}">Upload a new batch</a></p>
        {{/can_create}}
        {{#empty}}<p>No batches here.</p>{{/empty}}
        {{^empty}}
        <table><thead><tr><th>Batch</th><th>Status</th><th>Command</th><th class="n">Rows</th>
        <th class="n">Succeeded</th><th class="n">Failed</th><th class="n">Settled</th><th class="n">Total</th>
        <th>Created (EAT)</th></tr></thead><tbody>
        {{#rows}}<tr><td><a href="/ui/batches/{{id}}{{#org}}?org={{org}}{{/org}}">{{id}}</a></td><td>{{status}}</td>
        <td>{{command}}</td><td class="n">{{row_count}}</td><td class="n">{{succeeded}}</td>
        <td class="n">{{failed}}</td>
        <td class="n">{{progress}}</td><td class="n">{{total}}</td><td>{{created}}</td></tr>
        {{/rows}}</tbody></table>
        {{/empty}}
        <p class="pager">{{#previous}}<a href="{{previous}}" rel="prev">Previous page</a>{{/previous}}
        {{#next}}<a href="{{next}}" rel="next">Next page</a>{{/next}}</p>
        """)

    /// The upload form, and once rows were read, their preview: every row with its errors, then either the
    /// confirm form (carrying the CSV as read) or the upload form again with the CSV in its text box.
    static let batchUpload = parse(
        """
        {{^read}}<h1>New payout batch</h1>{{/read}}
        {{#read}}<h1>Check the batch</h1>{{/read}}
        {{#environment}}<p class="env env-{{environment}}">{{environment_label}}</p>{{/environment}}
        {{#no_short_code}}<p class="notice">This organization has no short code that can pay out yet (one with an
        initiator).</p>
        {{/no_short_code}}
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        {{#read}}
        {{#valid}}<p>{{row_count}} rows, {{total}} in all, as {{command}}. Nothing is sent until you confirm.</p>
        {{#approval_note}}<p class="notice">This batch will wait for an org_admin's approval (not yours if you
        create it).</p>{{/approval_note}}
        {{/valid}}
        {{^valid}}<p class="error" id="rows-error">{{bad_count}} of {{row_count}} rows have errors: nothing was
        created. Fix them below and check again.</p>{{/valid}}
        <table><thead><tr><th class="n">Row</th><th>Phone</th><th class="n">Amount</th><th>Reference</th>
        <th>Name</th><th>Errors</th></tr></thead><tbody>
        {{#rows}}<tr{{#bad}} class="bad"{{/bad}}><td class="n">{{row}}</td><td>{{phone}}</td>
        <td class="n">{{amount}}</td><td>{{reference}}</td><td>{{name}}</td>
        <td>{{#errors}}<p class="error">{{.}}</p>{{/errors}}</td></tr>
        {{/rows}}</tbody></table>
        {{#valid}}
        <form method="post" action="/ui/batches/new{{#org}}?org={{org}}{{/org}}" enctype="multipart/form-data"
         class="card">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{idempotency_key}}">
        <input type="hidden" name="step" value="confirm">
        <input type="hidden" name="command" value="{{command}}">
        <input type="hidden" name="short_code" value="{{short_code}}">
        {{#allow_duplicates}}<input type="hidden" name="allow_duplicates" value="true">{{/allow_duplicates}}
        <input type="hidden" name="csv_text" value="{{text}}">
        <button type="submit">Create the batch</button>
        <a href="/ui/batches/new{{#org}}?org={{org}}{{/org}}">Start again</a>
        </form>
        {{/valid}}
        {{/read}}
        {{#upload_shown}}
        """ + batchUploadForm + """
            {{/upload_shown}}
            """)

    /// The upload form: the preview shows it again when a row has an error, with the CSV in its text box.
    private static let batchUploadForm = """
        <form method="post" action="/ui/batches/new{{#org}}?org={{org}}{{/org}}" enctype="multipart/form-data"
         class="card">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="step" value="preview">
        {{#short_codes_shown}}
        <label for="short_code">Short code</label>
        <select id="short_code" name="short_code"{{#short_code_error}} aria-invalid="true"{{/short_code_error}}>
        {{#short_codes}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/short_codes}}
        </select>
        {{/short_codes_shown}}
        {{#short_code_error}}<p class="error" id="short_code-error">{{short_code_error}}</p>{{/short_code_error}}
        <label for="command">Command</label>
        <select id="command" name="command"{{#command_error}} aria-invalid="true"{{/command_error}}>
        {{#commands}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/commands}}
        </select>
        {{#command_error}}<p class="error" id="command-error">{{command_error}}</p>{{/command_error}}
        <label for="file">CSV file (at most {{bytes_max}} MiB)</label>
        <input id="file" name="file" type="file" accept=".csv,text/csv"
         {{#text_error}}aria-invalid="true" aria-describedby="csv-error"{{/text_error}}>
        <label for="csv_text">Or paste the rows</label>
        <textarea id="csv_text" name="csv_text" rows="8"
         {{#text_error}}aria-invalid="true" aria-describedby="csv-error"{{/text_error}}>{{text}}</textarea>
        {{#text_error}}<p class="error" id="csv-error">{{text_error}}</p>{{/text_error}}
        <p class="muted">A header row naming phone, amount and reference (and optionally name), then one row per
        payout: amounts in whole shillings, comma or semicolon separated. A file, when chosen, is used instead
        of the pasted rows.</p>
        <label><input type="checkbox" name="allow_duplicates" value="true"{{#allow_duplicates}} checked
        {{/allow_duplicates}}> Pay rows with the same phone and amount more than once</label>
        <button type="submit">Check the rows</button>
        </form>
        """
}
