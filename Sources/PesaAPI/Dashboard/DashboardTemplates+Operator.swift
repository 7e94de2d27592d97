import Mustache

/// The operator's organization pages and the instance's health. Every value is escaped.
extension DashboardTemplates {
    static let operatorOrganizations = parse(
        """
        <h1>Organizations</h1>
        {{#empty}}<p>No organization on this page.</p>{{/empty}}
        {{^empty}}
        <table><thead><tr><th>Name</th><th>Slug</th><th>Plan</th><th>Subscription</th><th>Status</th>
        <th>Created (EAT)</th></tr></thead><tbody>
        {{#rows}}<tr><td><a href="/ui/admin/orgs/{{id}}">{{name}}</a></td><td>{{slug}}</td><td>{{plan}}</td>
        <td>{{subscription}}</td><td>{{status}}</td><td>{{created}}</td></tr>
        {{/rows}}</tbody></table>
        {{/empty}}
        <p class="pager">{{#first}}<a href="{{first}}">First page</a>{{/first}}
        {{#next}}<a href="{{next}}" rel="next">Next page</a>{{/next}}</p>
        <h2>Add an organization</h2>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <form method="post" action="/ui/admin/orgs" class="card">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{idempotency_key}}">
        {{#fields}}
        <label for="{{name}}">{{label}}</label>
        <input id="{{name}}" name="{{name}}" type="text" required value="{{value}}"
         {{#error}}aria-invalid="true" aria-describedby="{{name}}-error"{{/error}}>
        {{#error}}<p class="error" id="{{name}}-error">{{error}}</p>{{/error}}
        {{/fields}}
        <label for="plan">Plan</label>
        <select id="plan" name="plan"{{#plan_error}} aria-invalid="true"{{/plan_error}}>
        {{#plans}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/plans}}
        </select>
        {{#plan_error}}<p class="error" id="plan-error">{{plan_error}}</p>{{/plan_error}}
        <p class="muted">Its first org_admin is added next, on its users page.</p>
        <button type="submit">Create</button>
        </form>
        """)

    static let operatorOrganization = parse(
        """
        <h1>{{name}}</h1>
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        <dl class="card"><dt>Id</dt><dd><code>{{id}}</code></dd><dt>Slug</dt><dd>{{slug}}</dd>
        <dt>Plan</dt><dd>{{plan}} ({{fee}} a month)</dd><dt>Status</dt><dd>{{status}}</dd>
        <dt>Subscription</dt><dd>{{subscription}}{{#reason}}: {{reason}}{{/reason}}</dd>
        <dt>Current period</dt><dd>{{period}}</dd>
        <dt>Rate limit in force</dt><dd>{{in_force}}</dd>
        <dt>Callback URL base</dt><dd>{{^callback_missing}}<code>{{callback_url_base}}</code>{{/callback_missing}}
        {{#callback_missing}}none: its callback token cannot be opened{{/callback_missing}}</dd>
        {{#previous_token_until}}<dt>Replaced callback token accepted until (EAT)</dt>
        <dd>{{previous_token_until}}</dd>{{/previous_token_until}}
        <dt>Created (EAT)</dt><dd>{{created}}</dd><dt>Changed (EAT)</dt><dd>{{updated}}</dd></dl>
        <p class="actions">{{#links}}<a href="{{href}}">{{label}}</a>{{/links}}</p>
        <h2>Name</h2>
        {{#name_form_error}}<p class="error" role="alert">{{name_form_error}}</p>{{/name_form_error}}
        <form method="post" action="/ui/admin/orgs/{{id}}/name" class="card">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{name_key}}">
        <label for="name">Name</label>
        <input id="name" name="name" type="text" required value="{{name_value}}"
         {{#name_error}}aria-invalid="true" aria-describedby="name-error"{{/name_error}}>
        {{#name_error}}<p class="error" id="name-error">{{name_error}}</p>{{/name_error}}
        <button type="submit">Rename</button>
        </form>
        <h2>Status</h2>
        <p class="muted">Disabled: its users still log in and read, but it gets no new user or API key until it is
        active again.</p>
        {{#status_form_error}}<p class="error" role="alert">{{status_form_error}}</p>{{/status_form_error}}
        <form method="post" action="/ui/admin/orgs/{{id}}/status" class="card">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{status_key}}">
        <label for="status">Status</label>
        <select id="status" name="status"
        {{#status_error}} aria-invalid="true" aria-describedby="status-error"{{/status_error}}>
        {{#org_statuses}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>
        {{/org_statuses}}</select>
        {{#status_error}}<p class="error" id="status-error">{{status_error}}</p>{{/status_error}}
        <button type="submit" class="danger">Set the status</button>
        </form>
        <h2>Plan</h2>
        {{#plan_form_error}}<p class="error" role="alert">{{plan_form_error}}</p>{{/plan_form_error}}
        <form method="post" action="/ui/admin/orgs/{{id}}/plan" class="card">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{plan_key}}">
        <label for="plan">Plan (applies at once)</label>
        <select id="plan" name="plan"{{#plan_error}} aria-invalid="true"{{/plan_error}}>
        {{#plans}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/plans}}
        </select>
        {{#plan_error}}<p class="error" id="plan-error">{{plan_error}}</p>{{/plan_error}}
        <button type="submit">Change the plan</button>
        </form>
        <h2>Subscription status</h2>
        <p class="muted">Suspended: no new payment starts (callbacks are still processed). The reason is kept in
        the organization's audit log.</p>
        {{#subscription_form_error}}<p class="error" role="alert">{{subscription_form_error}}</p>
        {{/subscription_form_error}}
        <form method="post" action="/ui/admin/orgs/{{id}}/subscription" class="card">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{subscription_key}}">
        <label for="subscription_status">Status</label>
        <select id="subscription_status" name="subscription_status"
        {{#subscription_status_error}} aria-invalid="true"{{/subscription_status_error}}>
        {{#statuses}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/statuses}}
        </select>
        {{#subscription_status_error}}<p class="error" id="subscription_status-error">{{subscription_status_error}}
        </p>{{/subscription_status_error}}
        <label for="reason">Reason</label>
        <textarea id="reason" name="reason" rows="2"
         {{#reason_error}}aria-invalid="true" aria-describedby="reason-error"{{/reason_error}}
        >{{reason_value}}</textarea>
        {{#reason_error}}<p class="error" id="reason-error">{{reason_error}}</p>{{/reason_error}}
        <button type="submit" class="danger">Set the status</button>
        </form>
        <h2>Rate limit</h2>
        <p>The plan's: {{plan_limit}}.{{#override}} This organization's own: {{override}}.{{/override}}</p>
        {{#rate_limit_form_error}}<p class="error" role="alert">{{rate_limit_form_error}}</p>{{/rate_limit_form_error}}
        <form method="post" action="/ui/admin/orgs/{{id}}/rate-limit" class="card">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{rate_limit_key}}">
        <label for="per_minute">Requests a minute</label>
        <input id="per_minute" name="per_minute" type="text" inputmode="numeric" value="{{per_minute_value}}"
         {{#per_minute_error}}aria-invalid="true" aria-describedby="per_minute-error"{{/per_minute_error}}>
        {{#per_minute_error}}<p class="error" id="per_minute-error">{{per_minute_error}}</p>{{/per_minute_error}}
        <label for="burst">Burst (blank: the plan's)</label>
        <input id="burst" name="burst" type="text" inputmode="numeric" value="{{burst_value}}"
         {{#burst_error}}aria-invalid="true" aria-describedby="burst-error"{{/burst_error}}>
        {{#burst_error}}<p class="error" id="burst-error">{{burst_error}}</p>{{/burst_error}}
        <div class="actions"><button type="submit">Set its own limit</button>
        {{#override}}<button type="submit" name="clear" value="1">Use the plan's limit</button>{{/override}}</div>
        </form>
        <h2>Callback token</h2>
        <p class="muted">A new token changes every callback URL (the base above): register the C2B URLs again
        before the replaced token stops being accepted. 0 hours for a leaked token.</p>
        {{#callback_token_form_error}}<p class="error" role="alert">{{callback_token_form_error}}</p>
        {{/callback_token_form_error}}
        <form method="post" action="/ui/admin/orgs/{{id}}/callback-token" class="card">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{callback_token_key}}">
        <label for="previous_valid_hours">Hours the replaced token stays accepted (0 to 8784)</label>
        <input id="previous_valid_hours" name="previous_valid_hours" type="text" inputmode="numeric" required
         value="{{previous_valid_hours_value}}"
         {{#previous_valid_hours_error}}aria-invalid="true" aria-describedby="previous_valid_hours-error"
         {{/previous_valid_hours_error}}>
        {{#previous_valid_hours_error}}<p class="error" id="previous_valid_hours-error">{{previous_valid_hours_error}}
        </p>{{/previous_valid_hours_error}}
        <label><input type="checkbox" name="force" value="1" class="check"{{#force_checked}} checked{{/force_checked}}
        {{#force_error}} aria-invalid="true" aria-describedby="force-error"{{/force_error}}> Even while the token
        replaced last is still accepted (it is refused at once)</label>
        {{#force_error}}<p class="error" id="force-error">{{force_error}}</p>{{/force_error}}
        <button type="submit" class="danger">Replace the callback token</button>
        </form>
        <p><a href="/ui/admin/orgs">Back to the organizations</a></p>
        """)

    static let operatorHealth = parse(
        """
        <h1>Health</h1>
        {{#ready}}<p class="notice" role="status">Ready: the data folder takes durable writes, the instance's
        folder is open and no organization is fenced.</p>{{/ready}}
        {{#not_ready}}<p class="error" role="alert">Not ready ({{not_ready_kind}}): {{not_ready}}</p>{{/not_ready}}
        <dl class="card"><dt>API version</dt><dd>{{version}}</dd>
        <dt>Organizations</dt><dd>{{organizations}}</dd>
        <dt>Journals open now</dt><dd>{{loaded}}</dd>
        <dt>Fenced organizations</dt><dd>{{fenced_count}}</dd>
        <dt>Checked (EAT)</dt><dd>{{checked}}</dd></dl>
        {{#fenced_shown}}
        <h2>Fenced organizations</h2>
        <p>They take no requests until <code>pesa verify</code> names the damage and it is repaired.</p>
        <table><thead><tr><th>Folder</th><th>Organization</th><th>Why</th></tr></thead><tbody>
        {{#fenced}}<tr><td><code>{{id}}</code></td><td>{{name}}</td><td>{{reason}}</td></tr>
        {{/fenced}}</tbody></table>
        {{/fenced_shown}}
        <p class="muted">The same check answers <code>GET /readyz</code>; counters and latencies are at
        <code>GET /metrics</code>.</p>
        """)
}
