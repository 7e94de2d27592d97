import Mustache

/// The settings pages' templates: the index with the callback URLs, and the short codes. Every value is written
/// with `{{name}}` (escaped); a secret is never given to these templates, only the API's masked hints.
extension DashboardTemplates {
    static let settings = parse(
        """
        <h1>Settings</h1>
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        <ul class="links">
        {{#links}}<li><a href="{{href}}{{org_query}}">{{label}}</a> <span class="muted">{{about}}</span></li>
        {{/links}}
        </ul>
        {{#callbacks_shown}}
        <section><h2>Callback URLs</h2>
        <p>These URLs hold this organization's secret callback token: give them only to Safaricom.</p>
        {{#token_missing}}<p class="error">The callback token cannot be opened (its key file is missing or
        damaged): restore it from the backup.</p>{{/token_missing}}
        {{^token_missing}}
        <h3>C2B: register these with Safaricom</h3>
        <dl class="card">{{#c2b}}<dt>{{label}}</dt><dd><code>{{url}}</code></dd>
        {{/c2b}}</dl>
        <h3>Results and timeouts: sent with each request</h3>
        <dl class="card">{{#results}}<dt>{{label}}</dt><dd><code>{{url}}</code></dd>
        {{/results}}</dl>
        {{/token_missing}}
        {{#can_rotate}}<form method="get" action="/ui/settings/callback-token/rotate" class="inline">
        {{#org}}<input type="hidden" name="org" value="{{org}}">{{/org}}
        <button type="submit">Rotate</button></form>
        <span class="muted">the callback token (if it leaked): every URL changes, and Safaricom must be given the new
        C2B URLs. The next page asks to confirm.</span>
        {{/can_rotate}}
        </section>
        {{/callbacks_shown}}
        """)

    static let shortCodeList = parse(
        """
        <h1>Short codes</h1>
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        {{#can_write}}<p><a href="/ui/settings/credentials/new{{org_query}}">Add a short code</a></p>{{/can_write}}
        {{#empty}}<p>No short code yet.</p>{{/empty}}
        {{^empty}}
        <table><thead><tr><th>Label</th><th>Short code</th><th>Kind</th><th>Environment</th><th>Default</th>
        <th>Keys (masked)</th><th>Last verification</th>{{#can_write}}<th></th>{{/can_write}}</tr></thead><tbody>
        {{#rows}}<tr><td>{{label}}</td><td>{{number}}{{#till}} (till {{till}}){{/till}}</td><td>{{kind}}</td>
        <td><span class="env env-{{environment}}">{{environment}}</span></td><td>{{#default}}yes{{/default}}</td>
        <td>{{#hints}}<div>{{label}}: <code>{{hint}}</code></div>{{/hints}}</td><td>{{verification}}</td>
        {{#can_write}}<td><a href="/ui/settings/credentials/{{id}}{{org_query}}">Edit</a>
        <form method="post" action="/ui/settings/credentials/{{id}}/verify{{org_query}}" class="inline">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <button type="submit">Verify</button></form>
        <form method="post" action="/ui/settings/credentials/{{id}}/delete{{org_query}}" class="inline">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="checkbox" name="confirm" value="yes" id="confirm-{{id}}" required>
        <label for="confirm-{{id}}" class="muted">sure</label>
        <button type="submit">Delete</button></form></td>{{/can_write}}</tr>
        {{/rows}}</tbody></table>
        {{/empty}}
        <p><a href="/ui/settings{{org_query}}">Back to the settings</a></p>
        """)

    static let shortCodeForm = parse(
        """
        {{#editing}}<h1>Short code {{fixed}}</h1>
        <p class="muted">The environment, number and kind of a short code never change.</p>{{/editing}}
        {{^editing}}<h1>Add a short code</h1>{{/editing}}
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        {{#retype}}<p class="notice">Keys and passwords are never shown back: type them again.</p>{{/retype}}
        <form method="post" class="card"
         action="/ui/settings/credentials/{{#editing}}{{id}}{{/editing}}{{^editing}}new{{/editing}}{{org_query}}">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{idempotency_key}}">
        {{^editing}}
        <label for="environment">Environment</label>
        <select id="environment" name="environment"{{#environment_error}} aria-invalid="true"{{/environment_error}}>
        {{#environments}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>
        {{/environments}}
        </select>
        {{#environment_error}}<p class="error" id="environment-error">{{environment_error}}</p>{{/environment_error}}
        <label for="kind">Kind</label>
        <select id="kind" name="kind"{{#kind_error}} aria-invalid="true"{{/kind_error}}>
        {{#kinds}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/kinds}}
        </select>
        {{#kind_error}}<p class="error" id="kind-error">{{kind_error}}</p>{{/kind_error}}
        {{/editing}}
        {{#plain}}
        <label for="{{name}}">{{label}}</label>
        <input id="{{name}}" name="{{name}}" type="text" value="{{value}}"
         {{#error}}aria-invalid="true" aria-describedby="{{name}}-error"{{/error}}>
        {{#error}}<p class="error" id="{{name}}-error">{{error}}</p>{{/error}}
        {{/plain}}
        {{#vault}}
        <label for="{{name}}">{{label}}</label>
        <input id="{{name}}" name="{{name}}" type="password" autocomplete="off" value=""
         {{#error}}aria-invalid="true" aria-describedby="{{name}}-error"{{/error}}>
        {{#hint}}<p class="muted">{{hint}}</p>{{/hint}}
        {{#error}}<p class="error" id="{{name}}-error">{{error}}</p>{{/error}}
        {{/vault}}
        <label><input type="checkbox" name="default" value="1" class="check"{{#default}} checked{{/default}}>
        The default short code of its kind</label>
        <button type="submit">Save</button>
        </form>
        {{#c2b}}
        <section class="card" id="register-urls"><h2>Register C2B URLs with Safaricom</h2>
        <p class="muted">Safaricom sends this short code's customer payments to this organization's confirmation
        and validation URLs once they are registered (again after the callback token is rotated).</p>
        {{#registered}}<p class="notice" role="status">Daraja answered: {{description}}</p>
        <dl><dt>Confirmation URL</dt><dd><code>{{confirmation}}</code></dd>
        <dt>Validation URL</dt><dd><code>{{validation}}</code></dd><dt>Response type</dt><dd>{{type}}</dd></dl>
        {{/registered}}
        {{#register_notice}}<p class="notice" role="status">{{register_notice}}</p>{{/register_notice}}
        {{#register_error}}<p class="error" role="alert">The URLs were not registered: {{register_error}}</p>
        {{/register_error}}
        <form method="post" action="/ui/settings/credentials/{{id}}/register-urls{{org_query}}">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{register_key}}">
        <label for="response_type">When the validation URL cannot be reached</label>
        <select id="response_type" name="response_type"
         {{#response_type_error}}aria-invalid="true" aria-describedby="response_type-error"{{/response_type_error}}>
        {{#response_types}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>
        {{/response_types}}</select>
        {{#response_type_error}}<p class="error" id="response_type-error">{{response_type_error}}</p>
        {{/response_type_error}}
        <button type="submit">Register C2B URLs with Safaricom</button>
        </form></section>
        {{/c2b}}
        <p><a href="/ui/settings/credentials{{org_query}}">Back to the short codes</a></p>
        """)
}
