import Mustache

/// The templates of who may use the organization: users and their roles, API keys, and the page that shows a
/// new secret (an API key, a webhook signing secret) the one time it is shown. Every value is escaped.
extension DashboardTemplates {
    static let userList = parse(
        """
        <h1>Users and roles</h1>
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        {{#can_create}}<p><a href="/ui/settings/users/new{{org_query}}">Add a user</a></p>{{/can_create}}
        <table><thead><tr><th>Email</th><th>Role</th><th>Status</th><th>Created (EAT)</th><th>Change</th><th></th>
        <th>Password</th></tr></thead><tbody>
        {{#rows}}<tr><td>{{email}}</td><td>{{role}}</td><td>{{#disabled}}disabled{{/disabled}}
        {{^disabled}}active{{/disabled}}</td><td>{{created}}</td>
        {{#manageable}}<td><form method="post" action="/ui/settings/users/{{id}}{{org_query}}" class="inline">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <label class="muted" for="role-{{id}}">Role</label>
        <select id="role-{{id}}" name="role" class="compact">
        {{#roles}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/roles}}</select>
        <select name="disabled" class="compact" aria-label="Status">
        <option value="false"{{^disabled}} selected{{/disabled}}>active</option>
        <option value="true"{{#disabled}} selected{{/disabled}}>disabled</option></select>
        <button type="submit">Save</button></form></td>
        <td><form method="post" action="/ui/settings/users/{{id}}/delete{{org_query}}" class="inline">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <button type="submit" class="danger">Delete</button></form></td>
        <td><form method="post" action="/ui/settings/users/{{id}}/password{{org_query}}" class="inline">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{password_key}}">
        <label class="muted" for="password-{{id}}">New password (at least {{password_min}} characters)</label>
        <input id="password-{{id}}" name="password" type="password" autocomplete="new-password" required
         {{#password_error}}aria-invalid="true" aria-describedby="password-error-{{id}}"{{/password_error}}>
        <button type="submit">Set password</button>
        {{#password_error}}<p class="error" id="password-error-{{id}}">{{password_error}}</p>{{/password_error}}
        </form></td>{{/manageable}}
        {{^manageable}}<td colspan="3" class="muted">Your role may not change this user.</td>{{/manageable}}</tr>
        {{/rows}}</tbody></table>
        <p><a href="/ui/settings{{org_query}}">Back to the settings</a></p>
        """)

    static let userForm = parse(
        """
        <h1>Add a user</h1>
        <form method="post" action="/ui/settings/users/new{{org_query}}" class="card">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{idempotency_key}}">
        <label for="email">Email</label>
        <input id="email" name="email" type="email" required value="{{email}}"
         {{#email_error}}aria-invalid="true" aria-describedby="email-error"{{/email_error}}>
        {{#email_error}}<p class="error" id="email-error">{{email_error}}</p>{{/email_error}}
        <label for="password">Password (at least {{password_min}} characters; give it to them yourself)</label>
        <input id="password" name="password" type="password" autocomplete="new-password" required
         {{#password_error}}aria-invalid="true" aria-describedby="password-error"{{/password_error}}>
        {{#password_error}}<p class="error" id="password-error">{{password_error}}</p>{{/password_error}}
        <label for="role">Role</label>
        <select id="role" name="role"{{#role_error}} aria-invalid="true"{{/role_error}}>
        {{#roles}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/roles}}</select>
        {{#role_error}}<p class="error" id="role-error">{{role_error}}</p>{{/role_error}}
        <button type="submit">Add the user</button>
        </form>
        <p><a href="/ui/settings/users{{org_query}}">Back to the users</a></p>
        """)

    static let apiKeyList = parse(
        """
        <h1>API keys</h1>
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <p><a href="/ui/settings/api-keys/new{{org_query}}">Create an API key</a></p>
        {{#empty}}<p>No API key yet.</p>{{/empty}}
        {{^empty}}
        <table><thead><tr><th>Name</th><th>Key</th><th>Role</th><th>Environment</th><th>Created (EAT)</th>
        <th>Rate limit</th><th>Revoked (EAT)</th><th></th></tr></thead><tbody>
        {{#rows}}<tr><td>{{name}}</td><td><code>{{hint}}</code></td><td>{{role}}</td><td>{{environment}}</td>
        <td>{{created}}</td><td>{{rate_limit}}</td><td>{{#revoked}}{{revoked}}{{/revoked}}</td>
        <td>{{^revoked}}<form method="post" action="/ui/settings/api-keys/{{id}}/revoke{{org_query}}" class="inline">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <button type="submit" class="danger">Revoke</button></form>{{/revoked}}</td></tr>
        {{/rows}}</tbody></table>
        {{/empty}}
        <p><a href="/ui/settings{{org_query}}">Back to the settings</a></p>
        """)

    static let apiKeyForm = parse(
        """
        <h1>Create an API key</h1>
        <form method="post" action="/ui/settings/api-keys/new{{org_query}}" class="card">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{idempotency_key}}">
        <label for="name">Name</label>
        <input id="name" name="name" type="text" required value="{{name}}"
         {{#name_error}}aria-invalid="true" aria-describedby="name-error"{{/name_error}}>
        {{#name_error}}<p class="error" id="name-error">{{name_error}}</p>{{/name_error}}
        <label for="role">Role</label>
        <select id="role" name="role"{{#role_error}} aria-invalid="true"{{/role_error}}>
        {{#roles}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/roles}}</select>
        {{#role_error}}<p class="error" id="role-error">{{role_error}}</p>{{/role_error}}
        <label for="environment">Environment</label>
        <select id="environment" name="environment"{{#environment_error}} aria-invalid="true"{{/environment_error}}>
        {{#environments}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>
        {{/environments}}</select>
        {{#environment_error}}<p class="error" id="environment-error">{{environment_error}}</p>{{/environment_error}}
        <fieldset><legend>Its own rate limit (optional; at most the organization's, which it shares otherwise)
        </legend>
        <label for="rate_limit_per_minute">Requests per minute (1 to {{per_minute_max}})</label>
        <input id="rate_limit_per_minute" name="rate_limit.per_minute" type="text" inputmode="numeric"
         value="{{per_minute}}"
         {{#per_minute_error}}aria-invalid="true" aria-describedby="per-minute-error"{{/per_minute_error}}>
        {{#per_minute_error}}<p class="error" id="per-minute-error">{{per_minute_error}}</p>{{/per_minute_error}}
        <label for="rate_limit_burst">Burst (blank: a minute's worth)</label>
        <input id="rate_limit_burst" name="rate_limit.burst" type="text" inputmode="numeric" value="{{burst}}"
         {{#burst_error}}aria-invalid="true" aria-describedby="burst-error"{{/burst_error}}>
        {{#burst_error}}<p class="error" id="burst-error">{{burst_error}}</p>{{/burst_error}}
        </fieldset>
        <button type="submit">Create the key</button>
        </form>
        <p><a href="/ui/settings/api-keys{{org_query}}">Back to the API keys</a></p>
        """)

    static let secretShown = parse(
        """
        <h1>{{heading}}</h1>
        <p class="notice" role="alert"><strong>Copy this {{what}} now: it is shown this once and never again.</strong>
        It is kept nowhere in clear; if it is lost, make another.</p>
        <p class="muted">{{about}}</p>
        <pre class="secret">{{secret}}</pre>
        <p><a href="{{back}}{{org_query}}">{{back_label}}</a></p>
        """)
}
