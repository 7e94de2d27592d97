import Mustache

/// The billing page's and the audit log's templates. Every value is escaped.
extension DashboardTemplates {
    /// `GET /ui/billing`. The daily chart's `{{{daily_chart}}}` is unescaped: it is `SVGChart`'s output, whose
    /// every text and attribute value went through `XMLWriter.escape`.
    static let billing = parse(
        """
        <h1>Billing</h1>
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        {{#pay_error}}<p class="error" role="alert">{{pay_error}}</p>{{/pay_error}}
        <section class="tiles">
        <div class="tile"><h2>Plan</h2><p class="big">{{plan}}</p><p>{{fee}} a month</p></div>
        <div class="tile"><h2>Subscription</h2><p class="big">{{status}}</p>{{#reason}}<p>{{reason}}</p>{{/reason}}
        </div>
        <div class="tile"><h2>Current period</h2><p>{{period}}</p></div>
        </section>
        {{#overdue}}<p class="error">Overdue: {{overdue}}</p>{{/overdue}}
        {{#scheduled_plan}}<p>From the next period: {{scheduled_plan}}.</p>{{/scheduled_plan}}
        {{#cancel_at_period_end}}<p>The subscription ends with this period.</p>{{/cancel_at_period_end}}
        {{#subscription_form}}
        <form method="post" action="/ui/billing/subscription{{org_query}}" class="card">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        {{#subscription_error}}<p class="error" role="alert" id="subscription-error">{{subscription_error}}</p>
        {{/subscription_error}}
        <div class="field"><label for="plan">Plan (a dearer one at once, prorated; a cheaper one from the next
        period)</label>
        <select id="plan" name="plan">{{#plans}}<option value="{{name}}"{{#selected}} selected{{/selected}}>{{name}}
        · {{fee}} a month</option>{{/plans}}</select></div>
        <div class="field"><label for="at_period_end">At the end of the period</label>
        <select id="at_period_end" name="at_period_end"><option value="keep"{{^cancel_at_period_end}}
         selected{{/cancel_at_period_end}}>Go on</option><option value="cancel"{{#cancel_at_period_end}}
         selected{{/cancel_at_period_end}}>Cancel the subscription</option></select></div>
        <button type="submit">Change the subscription</button>
        </form>
        {{/subscription_form}}
        <h2>Usage in {{month}} (Kenya time)</h2>
        <table><thead><tr><th></th><th class="n">Used</th><th class="n">Included</th><th class="n">Left</th>
        <th class="n">Beyond the plan</th></tr></thead><tbody>
        {{#usage}}<tr><td>{{label}}</td><td class="n">{{used}}</td><td class="n">{{included}}</td>
        <td class="n">{{left}}</td><td class="n">{{beyond}}</td></tr>
        {{/usage}}</tbody></table>
        <h2 id="daily">Usage day by day</h2>
        <form method="get" action="/ui/billing#daily" class="card filters">
        {{#org}}<input type="hidden" name="org" value="{{org}}">{{/org}}
        <div class="field"><label for="daily-month">Month (Kenya time)</label>
        <input id="daily-month" name="month" type="month" value="{{daily_month}}"
         {{#daily_month_error}}aria-invalid="true" aria-describedby="daily-month-error"{{/daily_month_error}}>
        {{#daily_month_error}}<p class="error" id="daily-month-error">{{daily_month_error}}</p>
        {{/daily_month_error}}</div>
        <button type="submit">Show</button>
        </form>
        {{#daily_shown}}
        <figure>{{{daily_chart}}}</figure>
        {{#daily_empty}}<p>Nothing was metered in {{daily_month}}.</p>{{/daily_empty}}
        {{^daily_empty}}
        <table><thead><tr><th>Day (EAT)</th>{{#daily_columns}}<th class="n">{{.}}</th>{{/daily_columns}}</tr></thead>
        <tbody>{{#daily_rows}}<tr><td>{{date}}</td>{{#cells}}<td class="n">{{.}}</td>{{/cells}}</tr>
        {{/daily_rows}}<tr><th>Total</th>{{#daily_totals}}<th class="n">{{.}}</th>{{/daily_totals}}</tr></tbody>
        </table>
        {{/daily_empty}}
        {{/daily_shown}}
        <h2>Invoices</h2>
        {{#invoices_empty}}<p>No invoice yet.</p>{{/invoices_empty}}
        {{^invoices_empty}}
        <table><thead><tr><th>Number</th><th>Month</th><th>Kind</th><th>Status</th><th class="n">Total</th>
        <th>Due (EAT)</th><th>Pay by M-Pesa</th></tr></thead><tbody>
        {{#invoices}}<tr><td><a href="/ui/billing/invoices/{{id}}{{org_query}}">{{number}}</a>
        (<a href="/ui/billing/invoices/{{id}}/csv{{org_query}}">CSV</a>)</td><td>{{month}}</td>
        <td>{{kind}}</td><td>{{status}}</td><td class="n">{{total}}</td><td>{{due}}</td>
        <td>{{#payable}}<form method="post" action="/ui/billing/invoices/{{id}}/pay{{org_query}}" class="inline">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{idempotency_key}}">
        <label class="muted" for="phone-{{id}}">Phone</label>
        <input id="phone-{{id}}" name="phone" type="tel" required value="{{phone}}" class="compact"
         {{#phone_error}}aria-invalid="true" aria-describedby="phone-{{id}}-error"{{/phone_error}}>
        <button type="submit">Pay</button></form>
        {{#phone_error}}<p class="error" id="phone-{{id}}-error">{{phone_error}}</p>{{/phone_error}}
        {{/payable}}</td></tr>
        {{/invoices}}</tbody></table>
        {{/invoices_empty}}
        """)

    static let audit = parse(
        """
        <h1>Audit log</h1>
        {{#verification}}
        {{#ok}}<p class="notice" role="status">The hash chain is intact: {{count}} entries, head
        <code>{{head}}</code>.</p>{{/ok}}
        {{^ok}}<div class="error" role="alert"><p>The hash chain does not verify ({{count}} entries):</p>
        <ul>{{#problems}}<li>{{.}}</li>{{/problems}}</ul></div>{{/ok}}
        {{/verification}}
        <form method="get" action="/ui/audit" class="card filters">
        {{#org}}<input type="hidden" name="org" value="{{org}}">{{/org}}
        {{#filters}}
        <div class="field"><label for="f-{{name}}">{{label}}</label>
        <input id="f-{{name}}" name="{{name}}" type="{{input_type}}" value="{{value}}"
         {{#error}}aria-invalid="true" aria-describedby="f-{{name}}-error"{{/error}}>
        {{#error}}<p class="error" id="f-{{name}}-error">{{error}}</p>{{/error}}
        </div>
        {{/filters}}
        <button type="submit">Filter</button> <a href="/ui/audit{{org_query}}">Clear</a>
        </form>
        {{#entries_shown}}
        {{#entries_empty}}<p>No entry on this page.</p>{{/entries_empty}}
        {{^entries_empty}}
        <table><thead><tr><th class="n">#</th><th>When (EAT)</th><th>Actor</th><th>Action</th><th>Target</th>
        <th>Request</th></tr></thead><tbody>
        {{#entries}}<tr><td class="n">{{seq}}</td><td>{{at}}</td><td>{{actor}}</td><td>{{action}}</td>
        <td>{{target}}</td><td>{{request}}</td></tr>
        {{/entries}}</tbody></table>
        {{/entries_empty}}
        <p class="pager">{{#first}}<a href="{{first}}">First page</a>{{/first}}
        {{#next}}<a href="{{next}}" rel="next">Next page</a>{{/next}}</p>
        {{/entries_shown}}
        """)
}
