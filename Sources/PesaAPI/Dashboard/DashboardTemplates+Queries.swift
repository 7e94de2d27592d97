import Mustache

/// The templates of what the payment pages ask M-Pesa: a transaction's status, a balance check and its result,
/// the sandbox's C2B simulate, and the callbacks that matched no payment (their bodies as escaped text in
/// `<pre>`). Every value is written with `{{name}}` (escaped).
extension DashboardTemplates {
    static let statusForm = parse(
        """
        <h1>Ask M-Pesa for a transaction's status</h1>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <form method="post" action="/ui/payments/status{{org_query}}" class="card">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{idempotency_key}}">
        <label for="mpesa_receipt">M-Pesa receipt</label>
        <input id="mpesa_receipt" name="mpesa_receipt" type="text" required value="{{mpesa_receipt}}"
         {{#receipt_error}}aria-invalid="true" aria-describedby="mpesa_receipt-error"{{/receipt_error}}>
        {{#receipt_error}}<p class="error" id="mpesa_receipt-error">{{receipt_error}}</p>{{/receipt_error}}
        <button type="submit">Ask M-Pesa for the status</button>
        </form>
        <p><a href="/ui/payments{{org_query}}">Back to the payments</a></p>
        """)

    static let queryResult = parse(
        """
        <h1>{{heading}}</h1>
        {{#pending}}<p class="notice">Waiting for M-Pesa: this page refreshes itself every 5 seconds.</p>{{/pending}}
        <dl class="card">
        {{#fields}}<dt>{{label}}</dt><dd>{{value}}</dd>
        {{/fields}}
        </dl>
        {{#accounts_shown}}<h2>Accounts</h2>
        <table><thead><tr><th>Account</th><th class="n">Available</th><th class="n">Current</th>
        <th class="n">Reserved</th><th class="n">Uncleared</th></tr></thead><tbody>
        {{/accounts_shown}}{{#accounts}}<tr><td>{{account}}</td><td class="n">{{available}}</td>
        <td class="n">{{current}}</td><td class="n">{{reserved}}</td><td class="n">{{uncleared}}</td></tr>
        {{/accounts}}{{#accounts_shown}}</tbody></table>{{/accounts_shown}}
        {{#result_shown}}<h2>What M-Pesa answered</h2>
        <dl class="card">
        {{#result}}<dt>{{label}}</dt><dd>{{value}}</dd>
        {{/result}}
        </dl>{{/result_shown}}
        {{#payment}}<p><a href="{{payment}}">The payment</a></p>{{/payment}}
        <p><a href="{{back}}">{{back_label}}</a></p>
        """)

    static let queryRefused = parse(
        """
        <h1>Balance check refused</h1>
        <p class="error" role="alert">{{message}}</p>
        <p><a href="{{back}}">Back to the overview</a></p>
        """)

    static let simulateForm = parse(
        """
        <h1>Simulate a customer payment</h1>
        <p class="env env-sandbox">SANDBOX: Daraja's sandbox pays the short code, as a customer paying from their
        phone would; no real money moves.</p>
        {{#sent}}<p class="notice" role="status">Sent: the payment appears in the list once M-Pesa confirms it.
        <a href="{{list}}">See the customer payments</a></p>{{/sent}}
        {{#no_short_code}}<p class="notice">C2B simulate exists only in Daraja's sandbox: this organization has no
        sandbox short code that customers pay. On a production short code, customers pay from their phones.</p>
        {{/no_short_code}}
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        {{#form_shown}}
        <form method="post" action="/ui/payments/simulate{{org_query}}" class="card">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{idempotency_key}}">
        """ + shortCodeChoice + textFields + """
            <button type="submit">Make the customer pay</button>
            </form>
            {{/form_shown}}
            """)

    static let unmatched = parse(
        """
        <h1>Unmatched callbacks</h1>
        <p>Callbacks from M-Pesa that settled nothing: no payment of this organization has their ids (orphan), or
        they could not be read (malformed). Oldest first, each as received.</p>
        <form method="get" action="/ui/payments/unmatched" class="filters">
        {{#org}}<input type="hidden" name="org" value="{{org}}">{{/org}}
        <label for="f-disposition">Disposition</label>
        <select id="f-disposition" name="disposition"><option value="">Both</option>
        {{#dispositions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>
        {{/dispositions}}
        </select>
        <button type="submit">Show</button>
        </form>
        {{#empty}}<p>No unmatched callback here.</p>{{/empty}}
        {{^empty}}
        <table><thead><tr><th class="n">#</th><th>Kind</th><th>Disposition</th><th>Received (EAT)</th><th>Body</th>
        </tr></thead><tbody>
        {{#rows}}<tr><td class="n">{{seq}}</td><td>{{kind}}</td><td>{{disposition}}</td><td>{{received}}</td>
        <td><pre>{{body}}</pre></td></tr>
        {{/rows}}</tbody></table>
        {{/empty}}
        <p class="pager">{{#first}}<a href="{{first}}">First page</a>{{/first}}
        {{#next}}<a href="{{next}}" rel="next">Next page</a>{{/next}}</p>
        <p><a href="{{payments}}">Back to the payments</a></p>
        """)
}
