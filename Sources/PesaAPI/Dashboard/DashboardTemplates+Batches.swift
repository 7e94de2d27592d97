import Mustache

extension DashboardTemplates {
    /// One batch: its fields, its rows by state, the forms the role may send (each carrying the CSRF token and
    /// the batch's state as shown), the results CSV, then its rows a page at a time.
    static let batchDetail = parse(
        """
        <h1>Batch {{id}}</h1>
        {{#environment}}<p class="env env-{{environment}}">{{#production}}PRODUCTION: real money.{{/production}}
        {{^production}}SANDBOX: test money only.{{/production}}</p>{{/environment}}
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <dl class="card">
        {{#fields}}<dt>{{label}}</dt><dd>{{value}}</dd>
        {{/fields}}
        </dl>
        {{#warnings}}<p class="notice">{{.}}</p>{{/warnings}}
        <h2>Rows by state</h2>
        <table><thead><tr><th>State</th><th class="n">Rows</th><th class="n">Amount</th></tr></thead><tbody>
        {{#states}}<tr><td>{{state}}</td><td class="n">{{count}}</td><td class="n">{{amount}}</td></tr>
        {{/states}}</tbody></table>
        {{#waiting_note}}<p class="notice">This batch waits for an org_admin's approval.</p>{{/waiting_note}}
        {{#creator_note}}<p class="notice">You created this batch: another org_admin must approve it.</p>
        {{/creator_note}}
        <section class="actions">
        {{#can_approve}}
        <form method="post" action="/ui/batches/{{id}}/approve{{#org}}?org={{org}}{{/org}}" class="inline">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="version" value="{{version}}">
        <button type="submit">Approve: send the rows</button></form>
        {{/can_approve}}
        {{#can_reject}}
        <form method="post" action="/ui/batches/{{id}}/reject{{#org}}?org={{org}}{{/org}}" class="card">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="version" value="{{version}}">
        <label for="reason">Reason (optional)</label>
        <input id="reason" name="reason" type="text" maxlength="500">
        <button type="submit">Reject: send nothing</button></form>
        {{/can_reject}}
        {{#can_retry}}
        <form method="post" action="/ui/batches/{{id}}/retry-failed{{#org}}?org={{org}}{{/org}}" class="inline">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="version" value="{{version}}">
        <button type="submit">Retry the {{retryable_count}} failed rows a retry may cure</button></form>
        {{/can_retry}}
        {{#can_cancel}}
        <form method="post" action="/ui/batches/{{id}}/cancel{{#org}}?org={{org}}{{/org}}" class="inline">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="version" value="{{version}}">
        <button type="submit">Cancel the rows not yet sent</button></form>
        {{/can_cancel}}
        </section>
        <p><a href="{{csv_href}}" download>Download the results as CSV</a></p>
        <h2>Rows {{rows_from}} to {{rows_to}}</h2>
        <table><thead><tr><th class="n">Row</th><th>Phone</th><th class="n">Amount</th><th>Reference</th>
        <th>Name</th><th>State</th><th>Payout</th><th>Receipt</th><th>Error</th></tr></thead><tbody>
        {{#rows}}<tr><td class="n">{{row}}</td><td>{{phone}}</td><td class="n">{{amount}}</td><td>{{reference}}</td>
        <td>{{name}}</td><td>{{state}}{{#retryable}} (retryable){{/retryable}}</td>
        <td>{{#payment}}<a href="/ui/payments/{{payment}}{{#org}}?org={{org}}{{/org}}">{{payment}}</a>{{/payment}}</td>
        <td>{{receipt}}</td><td>{{error}}</td></tr>
        {{/rows}}</tbody></table>
        <p class="pager">{{#previous}}<a href="{{previous}}" rel="prev">Previous rows</a>{{/previous}}
        {{#next}}<a href="{{next}}" rel="next">Next rows</a>{{/next}}</p>
        <p><a href="{{back}}">Back to the batches</a></p>
        """)
}
