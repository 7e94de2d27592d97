import Mustache

/// The operator's billing settings page. Every value is escaped.
extension DashboardTemplates {
    static let operatorBillingSettings = parse(
        """
        <h1>Billing settings</h1>
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        <p class="muted">The instance's settings of <code>PATCH /v1/admin/billing/settings</code>: when invoices are
        due, the tax, how they are numbered and who issues them. A change applies to invoices made from now on, and
        is kept in the instance's audit log.</p>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <form method="post" action="/ui/admin/billing/settings" class="card">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{idempotency_key}}">
        {{#numbers}}
        <label for="{{name}}">{{label}}</label>
        <input id="{{name}}" name="{{name}}" type="text" inputmode="numeric" required value="{{value}}"
         {{#error}}aria-invalid="true" aria-describedby="{{name}}-error"{{/error}}>
        {{#error}}<p class="error" id="{{name}}-error">{{error}}</p>{{/error}}
        {{/numbers}}
        <label><input type="checkbox" name="vat_inclusive" value="true" class="check"
        {{#vat_inclusive}} checked{{/vat_inclusive}}> Prices include VAT: the tax is taken out of the total, not
        added to it (vat_inclusive)</label>
        {{#texts}}
        <label for="{{name}}">{{label}}</label>
        <input id="{{name}}" name="{{name}}" type="text" value="{{value}}"
         {{#error}}aria-invalid="true" aria-describedby="{{name}}-error"{{/error}}>
        {{#error}}<p class="error" id="{{name}}-error">{{error}}</p>{{/error}}
        {{/texts}}
        {{#address}}
        <label for="{{name}}">{{label}}</label>
        <textarea id="{{name}}" name="{{name}}" rows="3"
         {{#error}}aria-invalid="true" aria-describedby="{{name}}-error"{{/error}}>{{value}}</textarea>
        {{#error}}<p class="error" id="{{name}}-error">{{error}}</p>{{/error}}
        {{/address}}
        <button type="submit">Save the settings</button>
        </form>
        <p><a href="/ui/admin/billing">Back to the billing runs</a></p>
        """)
}
