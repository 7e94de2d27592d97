import Mustache

/// The templates of the organization's own rules and records: payout batch rules, the callback token's
/// rotation, the events its webhooks carry, and a user's own account. Every value is escaped.
extension DashboardTemplates {
    static let batchSettings = parse(
        """
        <h1>Payout batch rules</h1>
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        {{^can_write}}
        <dl class="card"><dt>A batch waits for approval</dt>
        <dd>{{#approvals}}{{#selected}}{{label}}{{/selected}}{{/approvals}}{{#approval_above}}
        (above KES {{approval_above}}){{/approval_above}}</dd>
        <dt>A batch above the last known balance</dt>
        <dd>{{#low_balances}}{{#selected}}{{label}}{{/selected}}{{/low_balances}}</dd></dl>
        <p class="muted">An org_admin changes these rules.</p>
        {{/can_write}}
        {{#can_write}}
        <form method="post" action="/ui/settings/batches{{org_query}}" class="card">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{idempotency_key}}">
        <label for="approval">A batch waits for an org_admin's approval</label>
        <select id="approval" name="approval"
         {{#approval_error}}aria-invalid="true" aria-describedby="approval-error"{{/approval_error}}>
        {{#approvals}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/approvals}}
        </select>
        {{#approval_error}}<p class="error" id="approval-error">{{approval_error}}</p>{{/approval_error}}
        <label for="approval_above">That amount, in shillings (with "When the total is above an amount")</label>
        <input id="approval_above" name="approval_above" type="text" inputmode="numeric" value="{{approval_above}}"
         {{#approval_above_error}}aria-invalid="true" aria-describedby="approval_above-error"{{/approval_above_error}}>
        {{#approval_above_error}}<p class="error" id="approval_above-error">{{approval_above_error}}</p>
        {{/approval_above_error}}
        <label for="low_balance">A batch above the paying short code's last known balance</label>
        <select id="low_balance" name="low_balance"
         {{#low_balance_error}}aria-invalid="true" aria-describedby="low_balance-error"{{/low_balance_error}}>
        {{#low_balances}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>
        {{/low_balances}}</select>
        {{#low_balance_error}}<p class="error" id="low_balance-error">{{low_balance_error}}</p>{{/low_balance_error}}
        <button type="submit">Save the rules</button>
        </form>
        {{/can_write}}
        <p><a href="/ui/settings{{org_query}}">Back to the settings</a></p>
        """)

    static let c2bValidation = parse(
        """
        <h1>C2B validation</h1>
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        <p>When a customer pays a paybill or till whose C2B URLs are registered with validation, M-Pesa first asks
        whether to take the payment. This rule answers it. Payments refused here never reach the business.</p>
        {{#updated}}<p class="muted">Last changed {{updated}}.</p>{{/updated}}
        <form method="post" action="/ui/settings/c2b-validation{{org_query}}" class="card">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{idempotency_key}}">
        <label for="reject_unknown_account_references">Which payments M-Pesa may take</label>
        <select id="reject_unknown_account_references" name="reject_unknown_account_references">
        {{#choices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/choices}}
        </select>
        <label for="account_references">Account references, one a line (at most {{references_max}})</label>
        <textarea id="account_references" name="account_references" rows="8"
         {{#error}}aria-invalid="true" aria-describedby="account_references-error"{{/error}}
        >{{account_references}}</textarea>
        {{#error}}<p class="error" id="account_references-error">{{error}}</p>{{/error}}
        <button type="submit">Save the rule</button>
        </form>
        <p><a href="/ui/settings{{org_query}}">Back to the settings</a></p>
        """)

    static let rotateCallbackToken = parse(
        """
        <h1>Rotate the callback token</h1>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <p>Every callback URL holds this organization's secret token. Rotating it gives every URL a new token:
        <strong>the C2B confirmation and validation URLs must then be registered with Safaricom again</strong>
        (on each paybill or till's page under Short codes), before the old token stops being accepted.</p>
        <p>Payments already sent carry the old URLs; keep the old token accepted long enough for their results,
        unless it leaked (then 0 hours).</p>
        <form method="post" action="/ui/settings/callback-token/rotate{{org_query}}" class="card">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{idempotency_key}}">
        <label for="previous_valid_hours">Hours the old token stays accepted (0 to {{hours_max}})</label>
        <input id="previous_valid_hours" name="previous_valid_hours" type="text" inputmode="numeric" required
         value="{{previous_valid_hours}}"
         {{#hours_error}}aria-invalid="true" aria-describedby="previous_valid_hours-error"{{/hours_error}}>
        {{#hours_error}}<p class="error" id="previous_valid_hours-error">{{hours_error}}</p>{{/hours_error}}
        <label><input type="checkbox" name="force" value="true" class="check"{{#force}} checked{{/force}}
         {{#force_error}}aria-invalid="true" aria-describedby="force-error"{{/force_error}}>
        Rotate even while the token replaced last time is still accepted (it is refused at once)</label>
        {{#force_error}}<p class="error" id="force-error">{{force_error}}</p>{{/force_error}}
        <button type="submit" class="danger">Rotate the token</button>
        </form>
        <p><a href="/ui/settings{{org_query}}">Back to the settings</a></p>
        """)

    static let events = parse(
        """
        <h1>Events</h1>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <form method="get" action="/ui/settings/webhooks/events" class="filters">
        {{#org}}<input type="hidden" name="org" value="{{org}}">{{/org}}
        <label for="type">Type</label>
        <select id="type" name="type"{{#type_error}} aria-invalid="true"{{/type_error}}>
        <option value="">every type</option>
        {{#types}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/types}}</select>
        <button type="submit">Show</button>
        </form>
        {{#empty}}<p>No event{{#type}} of this type{{/type}} yet.</p>{{/empty}}
        {{^empty}}
        <table><thead><tr><th>Created (EAT)</th><th>Type</th><th>About</th><th>Deliveries</th><th>Payload</th>
        </tr></thead><tbody>
        {{#rows}}<tr><td>{{created}}</td><td><a href="/ui/settings/webhooks/events/{{id}}{{org_query}}">{{type}}</a>
        </td><td>{{object}} <code>{{object_id}}</code></td><td>{{deliveries}}</td>
        <td><details><summary>Show</summary><pre>{{payload}}</pre></details></td></tr>
        {{/rows}}</tbody></table>
        {{/empty}}
        <p>{{#first}}<a href="/ui/settings/webhooks/events{{first_query}}">Newest</a> {{/first}}
        {{#next}}<a href="{{next}}">Older events</a>{{/next}}</p>
        <p><a href="/ui/settings/webhooks{{org_query}}">Back to the webhooks</a></p>
        """)

    static let event = parse(
        """
        <h1>Event {{type}}</h1>
        <dl class="card"><dt>Id</dt><dd><code>{{id}}</code></dd><dt>Created (EAT)</dt><dd>{{created}}</dd>
        <dt>About</dt><dd>{{object}} <code>{{object_id}}</code></dd></dl>
        <h2>As its deliveries carry it, with its deliveries</h2>
        <pre>{{payload}}</pre>
        <p><a href="/ui/settings/webhooks/events{{org_query}}">Back to the events</a></p>
        """)

    static let account = parse(
        """
        <h1>Your account</h1>
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        <p>{{email}} <span class="role">{{role}}</span></p>
        <h2>Change your password</h2>
        <p class="muted">Every other session of yours ends, and every API login token issued before; this one goes
        on.</p>
        <form method="post" action="/ui/account" class="card">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <label for="current_password">Current password</label>
        <input id="current_password" name="current_password" type="password" autocomplete="current-password" required
         {{#current_error}}aria-invalid="true" aria-describedby="current_password-error"{{/current_error}}>
        {{#current_error}}<p class="error" id="current_password-error">{{current_error}}</p>{{/current_error}}
        <label for="new_password">New password ({{password_min}} to {{password_max}} bytes)</label>
        <input id="new_password" name="new_password" type="password" autocomplete="new-password" required
         {{#new_error}}aria-invalid="true" aria-describedby="new_password-error"{{/new_error}}>
        {{#new_error}}<p class="error" id="new_password-error">{{new_error}}</p>{{/new_error}}
        <label for="confirm_password">New password again</label>
        <input id="confirm_password" name="confirm_password" type="password" autocomplete="new-password" required
         {{#confirm_error}}aria-invalid="true" aria-describedby="confirm_password-error"{{/confirm_error}}>
        {{#confirm_error}}<p class="error" id="confirm_password-error">{{confirm_error}}</p>{{/confirm_error}}
        <button type="submit">Change the password</button>
        </form>
        """)
}
