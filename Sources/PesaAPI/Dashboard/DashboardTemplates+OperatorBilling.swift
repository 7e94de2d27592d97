import Mustache

/// The operator's plans, usage and billing pages. Every value is escaped.
extension DashboardTemplates {
    static let operatorPlans = parse(
        """
        <h1>Plans</h1>
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        <p class="muted">A change makes a new version, which applies from each subscriber's next period.</p>
        <table><thead><tr><th>Plan</th><th class="n">Version</th><th class="n">Monthly fee</th>
        <th class="n">API calls included</th><th class="n">Each beyond</th><th class="n">Transactions included</th>
        <th class="n">Each beyond</th><th>Hard cap</th><th>Rate limit</th><th class="n">Trial days</th>
        <th>Changed (EAT)</th></tr></thead><tbody>
        {{#rows}}<tr><td>{{#can_write}}<a href="/ui/admin/plans/{{name}}">{{name}}</a>{{/can_write}}
        {{^can_write}}{{name}}{{/can_write}}</td><td class="n">{{version}}</td><td class="n">{{fee}}</td>
        <td class="n">{{calls}}</td><td class="n">{{per_call}}</td><td class="n">{{transactions}}</td>
        <td class="n">{{per_transaction}}</td><td>{{#hard_cap}}yes{{/hard_cap}}{{^hard_cap}}no{{/hard_cap}}</td>
        <td>{{rate}}</td><td class="n">{{trial}}</td><td>{{updated}}</td></tr>
        {{/rows}}</tbody></table>
        {{#can_write}}
        <h2>Add a plan</h2>
        """ + planFormText + "{{/can_write}}")

    static let operatorPlan = parse(
        """
        <h1>Plan {{plan_name}}</h1>
        <p class="muted">Saving makes a new version, which applies from each subscriber's next period. A blank
        field is left as it is.</p>
        """ + planFormText + """
            <p><a href="/ui/admin/plans">Back to the plans</a></p>
            """)

    static let planFormText = """
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <form method="post" class="card"
         action="/ui/admin/plans{{#editing}}/{{plan_name}}{{/editing}}">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{idempotency_key}}">
        {{^editing}}
        <label for="name">Name (lower-case letters, digits and dashes; never changes)</label>
        <input id="name" name="name" type="text" value="{{name_value}}"
         {{#name_error}}aria-invalid="true" aria-describedby="name-error"{{/name_error}}>
        {{#name_error}}<p class="error" id="name-error">{{name_error}}</p>{{/name_error}}
        {{/editing}}
        {{#fields}}
        <label for="{{name}}">{{label}}</label>
        <input id="{{name}}" name="{{name}}" type="text" inputmode="decimal" value="{{value}}"
         {{#error}}aria-invalid="true" aria-describedby="{{name}}-error"{{/error}}>
        {{#error}}<p class="error" id="{{name}}-error">{{error}}</p>{{/error}}
        {{/fields}}
        <label><input type="checkbox" name="hard_cap" value="1" class="check"{{#hard_cap}} checked{{/hard_cap}}>
        Hard cap: nothing beyond what is included (a payment past it is refused)</label>
        <button type="submit">Save</button>
        </form>

        """

    static let operatorUsage = parse(
        """
        <h1>Usage</h1>
        <form method="get" action="/ui/admin/usage" class="card filters">
        <div class="field"><label for="month">Month (Kenya time)</label>
        <input id="month" name="month" type="month" value="{{month_value}}"
         {{#month_error}}aria-invalid="true" aria-describedby="month-error"{{/month_error}}>
        {{#month_error}}<p class="error" id="month-error">{{month_error}}</p>{{/month_error}}</div>
        <button type="submit">Show</button>
        </form>
        {{#shown}}
        <h2>{{month_value}}</h2>
        {{#empty}}<p>No organization yet.</p>{{/empty}}
        {{^empty}}
        <table><thead><tr><th>Organization</th><th>Slug</th><th class="n">API calls</th>
        <th class="n">Transactions</th><th class="n">Volume</th><th>By day</th></tr></thead><tbody>
        {{#rows}}<tr><td><a href="/ui/admin/orgs/{{id}}">{{name}}</a></td><td>{{slug}}</td><td class="n">{{calls}}</td>
        <td class="n">{{transactions}}</td><td class="n">{{volume}}</td>
        <td><a href="/ui/billing?org={{id}}&amp;month={{month_value}}#daily">Day by day</a></td></tr>
        {{/rows}}
        <tr><th>Total ({{total_orgs}} organizations)</th><th></th><th class="n">{{total_calls}}</th>
        <th class="n">{{total_transactions}}</th><th class="n">{{total_volume}}</th><th></th></tr>
        </tbody></table>
        <p class="muted">Transactions: STK pushes, C2B payments, payouts and reversals started. Volume: succeeded
        collections and payouts.</p>
        {{/empty}}
        {{/shown}}
        """)

    static let operatorBilling = parse(
        """
        <h1>Billing runs</h1>
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        <p><a href="/ui/admin/billing/settings">Billing settings</a>: due and grace days, VAT, invoice numbers, the
        operator printed on invoices and the organization that collects their payments.</p>
        <h2>Run billing for a month</h2>
        <p class="muted">The month in progress gets drafts to date; an ended month is finalized once its draft
        period is over, or at once when asked. Running a month again makes the same invoices.</p>
        {{#run_error}}<p class="error" role="alert" id="run-error">{{run_error}}</p>{{/run_error}}
        <form method="post" action="/ui/admin/billing/runs" class="card">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{run_key}}">
        <label for="run-month">Month (Kenya time)</label>
        <input id="run-month" name="month" type="month" required value="{{run_month}}"
         {{#run_error}}aria-invalid="true" aria-describedby="run-error"{{/run_error}}>
        <label><input type="checkbox" name="finalize" value="1" class="check"{{#run_finalize}} checked{{/run_finalize}}>
        Finalize now (an ended month)</label>
        <button type="submit">Run billing</button>
        </form>
        {{#result_shown}}
        <section><h2>Run of {{result_month}}: {{#result_finalized}}finalized{{/result_finalized}}
        {{^result_finalized}}drafts to date{{/result_finalized}}</h2>
        {{#replayed}}<p class="notice" role="status">This form was sent before: this is that run's result, not a
        new run.</p>{{/replayed}}
        {{#result_empty}}<p>No organization to bill.</p>{{/result_empty}}
        {{^result_empty}}
        <table><thead><tr><th>Organization</th><th>Action</th><th>Invoice</th><th class="n">Total</th></tr></thead>
        <tbody>{{#result}}<tr><td>{{slug}}</td><td>{{action}}</td><td>{{number}}</td><td class="n">{{total}}</td></tr>
        {{/result}}<tr><th>Total</th><th></th><th></th><th class="n">{{result_total}}</th></tr></tbody></table>
        {{/result_empty}}
        </section>
        {{/result_shown}}
        <h2>Invoices</h2>
        {{#invoice_error}}<p class="error" role="alert">{{invoice_error}}</p>{{/invoice_error}}
        <form method="get" action="/ui/admin/billing" class="card filters">
        <div class="field"><label for="f-month">Month</label>
        <input id="f-month" name="month" type="month" value="{{filter_month}}"></div>
        <div class="field"><label for="f-status">Status</label>
        <select id="f-status" name="status"><option value="">any</option>
        {{#statuses}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/statuses}}
        </select></div>
        <button type="submit">Filter</button> <a href="/ui/admin/billing">Clear</a>
        </form>
        {{#invoices_empty}}<p>No numbered invoice.</p>{{/invoices_empty}}
        {{^invoices_empty}}
        <table><thead><tr><th>Number</th><th>Organization</th><th>Month</th><th>Kind</th><th>Status</th>
        <th class="n">Total</th><th>Due (EAT)</th><th>Settle</th></tr></thead><tbody>
        {{#invoices}}<tr><td>{{number}}</td><td>{{org}}</td><td>{{month}}</td><td>{{kind}}</td><td>{{status}}</td>
        <td class="n">{{total}}</td><td>{{due}}</td><td>{{#open}}
        <form method="post" action="/ui/admin/billing/invoices/{{id}}/mark-paid" class="inline">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{paid_key}}">
        <label class="muted" for="reference-{{id}}">Reference</label>
        <input id="reference-{{id}}" name="reference" type="text" required value="{{reference}}" class="compact"
         {{#reference_error}}aria-invalid="true" aria-describedby="reference-{{id}}-error"{{/reference_error}}>
        <button type="submit">Mark paid</button></form>
        {{#reference_error}}<p class="error" id="reference-{{id}}-error">{{reference_error}}</p>{{/reference_error}}
        <form method="post" action="/ui/admin/billing/invoices/{{id}}/void" class="inline">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{void_key}}">
        <label class="muted" for="reason-{{id}}">Reason</label>
        <input id="reason-{{id}}" name="reason" type="text" required value="{{reason}}" class="compact"
         {{#reason_error}}aria-invalid="true" aria-describedby="reason-{{id}}-error"{{/reason_error}}>
        <button type="submit" class="danger">Void</button></form>
        {{#reason_error}}<p class="error" id="reason-{{id}}-error">{{reason_error}}</p>{{/reason_error}}
        {{/open}}</td></tr>
        {{/invoices}}</tbody></table>
        <p class="pager">{{#next}}<a href="{{next}}" rel="next">Next page</a>{{/next}}</p>
        {{/invoices_empty}}
        """)
}
