import Mustache

/// The webhook pages' templates: the endpoints, the form of a new one, and one endpoint with its actions and
/// delivery log. Every value is escaped (a description is the organization's own text); a secret appears only
/// in `secretShown`, the one time it is shown.
extension DashboardTemplates {
    static let webhookList = parse(
        """
        <h1>Webhook endpoints</h1>
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        <p><a href="/ui/settings/webhooks/new{{org_query}}">Add an endpoint</a> ·
        <a href="/ui/settings/webhooks/events{{org_query}}">The organization's events</a></p>
        {{#empty}}<p>No endpoint yet: events are kept, and sent to the endpoints added later on request.</p>{{/empty}}
        {{^empty}}
        <table><thead><tr><th>URL</th><th>Description</th><th>Events</th><th>State</th><th>Secret</th></tr>
        </thead><tbody>
        {{#rows}}<tr><td><a href="/ui/settings/webhooks/{{id}}{{org_query}}">{{url}}</a></td><td>{{description}}</td>
        <td>{{events}}</td><td>{{state}}</td><td><code>{{hint}}</code></td></tr>
        {{/rows}}</tbody></table>
        {{/empty}}
        <p><a href="/ui/settings{{org_query}}">Back to the settings</a></p>
        """)

    /// The endpoint's fields, shared by the new endpoint's form and an endpoint's page.
    static let webhookFields = """
        <label for="url">URL</label>
        <input id="url" name="url" type="url" required value="{{url}}"
         {{#url_error}}aria-invalid="true" aria-describedby="url-error"{{/url_error}}>
        {{#url_error}}<p class="error" id="url-error">{{url_error}}</p>{{/url_error}}
        <label for="description">Description</label>
        <input id="description" name="description" type="text" value="{{description}}"
         {{#description_error}}aria-invalid="true" aria-describedby="description-error"{{/description_error}}>
        {{#description_error}}<p class="error" id="description-error">{{description_error}}</p>{{/description_error}}
        <fieldset><legend>Events (none ticked: every event)</legend>
        {{#events}}<label><input type="checkbox" class="check" name="event.{{name}}" value="1"
        {{#checked}} checked{{/checked}}> {{name}}</label>
        {{/events}}</fieldset>
        {{#events_error}}<p class="error" id="events-error">{{events_error}}</p>{{/events_error}}
        <label><input type="checkbox" class="check" name="enabled" value="1"{{#enabled}} checked{{/enabled}}>
        Enabled</label>
        """

    static let webhookForm = parse(
        """
        <h1>Add a webhook endpoint</h1>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <form method="post" action="/ui/settings/webhooks/new{{org_query}}" class="card">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{idempotency_key}}">
        \(webhookFields)
        <button type="submit">Add the endpoint</button>
        </form>
        <p><a href="/ui/settings/webhooks{{org_query}}">Back to the webhooks</a></p>
        """)

    static let webhookEndpoint = parse(
        """
        <h1>Webhook endpoint</h1>
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        {{#page_error}}<p class="error" role="alert">{{page_error}}</p>{{/page_error}}
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <dl class="card"><dt>Id</dt><dd>{{endpoint_id}}</dd><dt>State</dt><dd>{{state}}</dd>
        <dt>Signing secret</dt><dd><code>{{hint}}</code>{{#previous_until}} (the previous one signs too until
        {{previous_until}} EAT){{/previous_until}}</dd>
        {{#failing_since}}<dt>Failing since (EAT)</dt><dd>{{failing_since}}</dd>{{/failing_since}}
        <dt>Created (EAT)</dt><dd>{{created}}</dd></dl>
        <h2>Edit</h2>
        <form method="post" action="/ui/settings/webhooks/{{endpoint_id}}{{org_query}}" class="card">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        \(webhookFields)
        <button type="submit">Save</button>
        </form>
        <h2>Actions</h2>
        <div class="actions">
        <form method="post" action="/ui/settings/webhooks/{{endpoint_id}}/test{{org_query}}" class="inline">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <button type="submit">Send a test ping</button></form>
        <form method="post" action="/ui/settings/webhooks/{{endpoint_id}}/rotate{{org_query}}" class="inline">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{idempotency_key}}">
        <button type="submit">Rotate the signing secret</button></form>
        <form method="post" action="/ui/settings/webhooks/{{endpoint_id}}/delete{{org_query}}" class="inline">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <button type="submit" class="danger">Delete the endpoint</button></form>
        </div>
        <h2>Deliveries</h2>
        {{#deliveries_empty}}<p>No delivery on this page.</p>{{/deliveries_empty}}
        {{^deliveries_empty}}
        <table><thead><tr><th>Event</th><th>Status</th><th class="n">Attempts</th><th>Last attempt (EAT)</th>
        <th>Status code</th><th class="n">Latency</th><th>Error</th><th>Next attempt (EAT)</th><th></th></tr>
        </thead><tbody>
        {{#deliveries}}<tr><td>{{event}}</td><td>{{status}}</td><td class="n">{{attempts}}</td><td>{{last}}</td>
        <td>{{code}}</td><td class="n">{{latency}}</td><td>{{failure}}</td><td>{{next_try}}</td>
        <td>{{#retry}}<form method="post" class="inline"
         action="/ui/settings/webhooks/{{endpoint_id}}/deliveries/{{delivery_id}}/retry{{org_query}}">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <button type="submit">Retry</button></form>{{/retry}}</td></tr>
        {{/deliveries}}</tbody></table>
        {{/deliveries_empty}}
        <p class="pager">{{#first}}<a href="/ui/settings/webhooks/{{endpoint_id}}{{org_query}}">Newest</a>{{/first}}
        {{#next}}<a href="{{next}}{{org_and}}" rel="next">Older deliveries</a>{{/next}}</p>
        <h2>Recover failed deliveries</h2>
        <form method="post" action="/ui/settings/webhooks/{{endpoint_id}}/recover{{org_query}}" class="card">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <label for="since">Events since (Kenya date)</label>
        <input id="since" name="since" type="date" required value="{{since}}"
         {{#since_error}}aria-invalid="true" aria-describedby="since-error"{{/since_error}}>
        {{#since_error}}<p class="error" id="since-error">{{since_error}}</p>{{/since_error}}
        <label for="until">Until (Kenya date, included; empty: up to now)</label>
        <input id="until" name="until" type="date" value="{{until}}"
         {{#until_error}}aria-invalid="true" aria-describedby="until-error"{{/until_error}}>
        {{#until_error}}<p class="error" id="until-error">{{until_error}}</p>{{/until_error}}
        <button type="submit">Send them again</button>
        </form>
        <p><a href="/ui/settings/webhooks{{org_query}}">Back to the webhooks</a></p>
        """)
}
