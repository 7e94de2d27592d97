import Mustache

/// The payment pages' templates: the list with its filters, one payment with its timeline, the STK push form.
/// Every value is written with `{{name}}` (escaped); a callback's raw body is shown as escaped text in `<pre>`.
extension DashboardTemplates {
    static let paymentList = parse(
        """
        <h1>{{heading}}</h1>
        {{#new_link}}<p><a href="{{href}}">{{label}}</a></p>{{/new_link}}
        {{#tools}}
        {{#unmatched}}<p><a href="{{unmatched}}">Unmatched callbacks</a></p>{{/unmatched}}
        {{#simulate}}<p><a href="{{simulate}}">Simulate a customer payment (sandbox)</a></p>{{/simulate}}
        {{#status}}<form method="post" action="/ui/payments/status{{#org}}?org={{org}}{{/org}}" class="card">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{idempotency_key}}">
        <label for="mpesa_receipt">M-Pesa receipt</label>
        <input id="mpesa_receipt" name="mpesa_receipt" type="text" required>
        <button type="submit">Ask M-Pesa for the status</button>
        </form>{{/status}}
        {{/tools}}
        <form method="get" action="{{path}}" class="card filters">
        {{#org}}<input type="hidden" name="org" value="{{org}}">{{/org}}
        {{#filters}}
        <div class="field"><label for="f-{{name}}">{{label}}</label>
        {{#choices_shown}}<select id="f-{{name}}" name="{{name}}"{{#error}} aria-invalid="true"{{/error}}>
        {{#choices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/choices}}
        </select>{{/choices_shown}}
        {{^choices_shown}}<input id="f-{{name}}" name="{{name}}" type="{{input_type}}" value="{{value}}"
         {{#error}}aria-invalid="true" aria-describedby="f-{{name}}-error"{{/error}}>{{/choices_shown}}
        {{#error}}<p class="error" id="f-{{name}}-error">{{error}}</p>{{/error}}
        </div>
        {{/filters}}
        <button type="submit">Filter</button> <a href="{{path}}{{#org}}?org={{org}}{{/org}}">Clear</a>
        </form>
        {{#notice}}<p class="error">{{notice}}</p>{{/notice}}
        {{#empty}}<p>No payments match these filters.</p>{{/empty}}
        {{^empty}}
        <table><thead><tr><th>Payment</th><th>Status</th><th>Type</th><th class="n">Amount</th><th>Phone</th>
        <th>Receipt</th><th>Description</th><th>Short code</th><th>Created (EAT)</th></tr></thead><tbody>
        {{#rows}}<tr><td><a href="/ui/payments/{{id}}{{#org}}?org={{org}}{{/org}}">{{id}}</a></td><td>{{status}}</td>
        <td>{{type}}</td><td class="n">{{amount}}</td><td>{{phone}}</td><td>{{receipt}}</td><td>{{description}}</td>
        <td>{{short_code}}</td><td>{{created}}</td></tr>
        {{/rows}}</tbody></table>
        {{/empty}}
        <p class="pager">{{#previous}}<a href="{{previous}}" rel="prev">Previous page</a>{{/previous}}
        {{#next}}<a href="{{next}}" rel="next">Next page</a>{{/next}}</p>
        """)

    static let paymentDetail = parse(
        """
        <h1>Payment {{id}}</h1>
        {{#pending}}<p class="notice">Waiting for M-Pesa: this page refreshes itself every 5 seconds.</p>{{/pending}}
        <dl class="card">
        {{#fields}}<dt>{{label}}</dt><dd>{{value}}</dd>
        {{/fields}}
        </dl>
        {{#status_query}}<form method="post" action="/ui/payments/status{{#org}}?org={{org}}{{/org}}" class="inline">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{idempotency_key}}">
        <input type="hidden" name="payment_id" value="{{id}}">
        <button type="submit">Ask M-Pesa for the status</button>
        </form>{{/status_query}}
        {{#reversal}}<section class="card"><h2>Reverse</h2>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        {{#form_shown}}
        <p>M-Pesa sends the amount back to the customer: all of it, or a part (at most {{most}}).</p>
        <form method="post" action="/ui/payments/{{id}}/reverse{{#org}}?org={{org}}{{/org}}">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{idempotency_key}}">
        <label for="amount">Amount (KES, whole shillings)</label>
        <input id="amount" name="amount" type="text" inputmode="numeric" required value="{{amount}}"
         {{#amount_error}}aria-invalid="true" aria-describedby="amount-error"{{/amount_error}}>
        {{#amount_error}}<p class="error" id="amount-error">{{amount_error}}</p>{{/amount_error}}
        <label for="remarks">Remarks (the reason)</label>
        <input id="remarks" name="remarks" type="text" required value="{{remarks}}"
         {{#remarks_error}}aria-invalid="true" aria-describedby="remarks-error"{{/remarks_error}}>
        {{#remarks_error}}<p class="error" id="remarks-error">{{remarks_error}}</p>{{/remarks_error}}
        <button type="submit">Reverse</button>
        </form>
        {{/form_shown}}
        </section>{{/reversal}}
        <h2>Timeline</h2>
        {{#events_empty}}<p>No event recorded.</p>{{/events_empty}}
        <ol class="timeline">
        {{#events}}<li><strong>{{label}}</strong> <span class="muted">{{type}} · {{at}} · #{{seq}}</span>
        {{#detail}}<div>{{detail}}</div>{{/detail}}
        {{#body}}<details><summary>Raw callback</summary><pre>{{body}}</pre></details>{{/body}}</li>
        {{/events}}
        </ol>
        <p><a href="/ui/payments{{#org}}?org={{org}}{{/org}}">Back to the payments</a></p>
        """)

    static let stkPushForm = parse(
        """
        <h1>Send an STK push</h1>
        {{#environment}}<p class="env env-{{environment}}">{{environment_label}}</p>{{/environment}}
        {{#no_short_code}}<p class="notice">This organization has no short code that can send an STK push yet.</p>
        {{/no_short_code}}
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <form method="post" action="/ui/payments/new{{#org}}?org={{org}}{{/org}}" class="card">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{idempotency_key}}">
        """ + shortCodeChoice + textFields + """
            <button type="submit">Send the push</button>
            </form>
            """)

    /// A money form's short code choice, shown when there are several.
    static let shortCodeChoice = """

        {{#short_codes_shown}}
        <label for="short_code">Short code</label>
        <select id="short_code" name="short_code"{{#short_code_error}} aria-invalid="true"{{/short_code_error}}>
        {{#short_codes}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/short_codes}}
        </select>
        {{/short_codes_shown}}
        {{#short_code_error}}<p class="error" id="short_code-error">{{short_code_error}}</p>{{/short_code_error}}

        """

    /// A money form's text fields, each with its error next to it; all required but those marked otherwise.
    static let textFields = """

        {{#fields}}
        <label for="{{name}}">{{label}}</label>
        <input id="{{name}}" name="{{name}}" type="text" inputmode="{{mode}}"{{#required}} required{{/required}}
         value="{{value}}" {{#error}}aria-invalid="true" aria-describedby="{{name}}-error"{{/error}}>
        {{#error}}<p class="error" id="{{name}}-error">{{error}}</p>{{/error}}
        {{/fields}}

        """
}
