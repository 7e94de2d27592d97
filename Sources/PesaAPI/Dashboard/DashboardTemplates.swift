import Mustache

/// The dashboard's Mustache templates. `{{name}}` escapes HTML, and every value from outside (names, emails,
/// references, descriptions, messages) is written that way. The one unescaped value, the layout's `{{{body}}}`,
/// is always the output of another template of this file, never text from a request or the engine.
enum DashboardTemplates {
    /// Every page: the header (organization, user, role, the pages the role may open, logout), then `body`.
    static let layout = parse(
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        {{#refresh}}<meta http-equiv="refresh" content="{{refresh}}">{{/refresh}}
        <title>{{title}} · Pesa Gateway</title>
        <link rel="stylesheet" href="/ui/static/app.css">
        </head><body>
        <header>
        <div class="brand">Pesa Gateway{{#org_name}} · <strong>{{org_name}}</strong>{{/org_name}}</div>
        {{#signed_in}}
        <div class="who"><a href="/ui/account"{{#account_current}} aria-current="page"{{/account_current}}>{{email}}</a>
        <span class="role">{{role}}</span>
        <form method="post" action="/ui/logout" class="inline">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <button type="submit">Log out</button></form></div>
        <nav>{{#nav}}<a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a>{{/nav}}</nav>
        {{/signed_in}}
        </header>
        <main>
        {{{body}}}
        </main></body></html>
        """)

    static let login = parse(
        """
        <h1>Log in</h1>
        {{#notice}}<p class="notice">{{notice}}</p>{{/notice}}
        <form method="post" action="/ui/login" class="card">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="next" value="{{next}}">
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="username" required value="{{email}}"
         {{#email_error}}aria-invalid="true" aria-describedby="email-error"{{/email_error}}>
        {{#email_error}}<p class="error" id="email-error">{{email_error}}</p>{{/email_error}}
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required
         {{#password_error}}aria-invalid="true" aria-describedby="password-error"{{/password_error}}>
        {{#password_error}}<p class="error" id="password-error">{{password_error}}</p>{{/password_error}}
        <button type="submit">Log in</button>
        </form>
        """)

    static let overview = parse(
        """
        <h1>Overview</h1>
        {{#summary}}
        <section class="tiles">
        {{#tiles}}<div class="tile"><h2>{{title}}</h2><p class="big">{{volume}}</p><p>{{count}} payments</p>
        <p>Against {{previous_label}} (EAT): {{previous_volume}} ({{volume_change}}), {{previous_count}} payments
        ({{count_change}})</p>
        <p>Success rate: {{success_rate}} ({{success_detail}})</p></div>
        {{/tiles}}
        </section>
        {{/summary}}
        {{#attention_shown}}
        <section class="card"><h2>Needs attention</h2>
        {{#attention_empty}}<p>Nothing needs attention.</p>{{/attention_empty}}
        {{^attention_empty}}<ul class="attention">
        {{#attention}}<li>{{text}} <a href="{{href}}">{{action}}</a></li>{{/attention}}
        </ul>{{/attention_empty}}
        </section>
        {{/attention_shown}}
        {{#usage_shown}}
        <section><h2>Usage in {{usage_month}} against the {{usage_plan}} plan</h2>
        <table><thead><tr><th>Item</th><th class="n">Used</th><th class="n">Included</th><th class="n">Share</th>
        </tr></thead><tbody>
        {{#usage}}<tr><td>{{label}}</td><td class="n">{{used}}</td><td class="n">{{included}}</td>
        <td class="n">{{percent}}</td></tr>
        {{/usage}}</tbody></table></section>
        {{/usage_shown}}
        {{#summary}}
        <section><h2>This month by status</h2>
        <table><thead><tr><th>Status</th><th class="n">Payments</th><th class="n">Volume</th></tr></thead><tbody>
        {{#by_status}}<tr><td>{{status}}</td><td class="n">{{count}}</td><td class="n">{{volume}}</td></tr>
        {{/by_status}}</tbody></table></section>
        {{/summary}}
        <section><h2>Recent payments</h2>
        {{#recent_empty}}<p>No payments yet.</p>{{/recent_empty}}
        {{^recent_empty}}
        <table><thead><tr><th>Payment</th><th>Status</th><th class="n">Amount</th><th>Phone</th><th>Description</th>
        <th>Created (EAT)</th></tr></thead><tbody>
        {{#recent}}<tr><td><a href="/ui/payments/{{id}}">{{id}}</a></td><td>{{status}}</td><td class="n">{{amount}}</td>
        <td>{{phone}}</td><td>{{description}}</td><td>{{created}}</td></tr>
        {{/recent}}</tbody></table>
        {{/recent_empty}}
        </section>
        {{#balances_shown}}
        <section><h2>Balances</h2>
        {{#balances_empty}}<p>No balance known yet.</p>{{/balances_empty}}
        {{^balances_empty}}
        <table><thead><tr><th>Short code</th><th>Account</th><th class="n">Available</th><th>As of (EAT)</th>
        <th></th></tr></thead><tbody>
        {{#balances}}<tr><td>{{short_code}}</td><td>{{account}}</td><td class="n">{{available}}</td>
        <td>{{as_of}}</td><td>{{#check}}<form method="post" action="/ui/balance-checks{{org_query}}" class="inline">
        <input type="hidden" name="csrf_token" value="{{csrf_token}}">
        <input type="hidden" name="idempotency_key" value="{{idempotency_key}}">
        <input type="hidden" name="short_code" value="{{short_code}}">
        <button type="submit">Check balance now</button></form>{{/check}}</td></tr>
        {{/balances}}</tbody></table>
        {{/balances_empty}}
        </section>
        {{/balances_shown}}
        """)

    static let organizations = parse(
        """
        <h1>Organizations</h1>
        <p>Pick an organization to see its overview.</p>
        <table><thead><tr><th>Name</th><th>Slug</th><th>Plan</th><th>Status</th></tr></thead><tbody>
        {{#orgs}}<tr><td><a href="/ui/?org={{id}}">{{name}}</a></td><td>{{slug}}</td><td>{{plan}}</td>
        <td>{{status}}</td></tr>
        {{/orgs}}</tbody></table>
        """)

    static let problem = parse(
        """
        <h1>{{heading}}</h1>
        <p>{{message}}</p>
        <p><a href="{{back}}">{{back_label}}</a></p>
        """)

    static func parse(_ text: String) -> MustacheTemplate {
        guard let template = try? MustacheTemplate(string: text) else {
            preconditionFailure("a dashboard template parses")
        }
        return template
    }

    /// The one stylesheet (`GET /ui/static/app.css`): system fonts, readable on a phone.
    static let stylesheet = """
        *{box-sizing:border-box}
        body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f23;
        background:#f6f7f9}
        header{background:#0b5d3b;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;
        align-items:center}
        header a{color:#fff}
        .brand{font-weight:600;flex:1 1 auto}
        .who{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap}
        .role{background:rgba(255,255,255,.2);border-radius:.3rem;padding:0 .4rem;font-size:.85rem}
        nav{flex-basis:100%;display:flex;flex-wrap:wrap;gap:.2rem .9rem;font-size:.95rem}
        nav a[aria-current]{font-weight:700;text-decoration:none}
        main{max-width:64rem;margin:0 auto;padding:1rem}
        h1{font-size:1.5rem;margin:.5rem 0 1rem;overflow-wrap:anywhere}
        h2{font-size:1.1rem;margin:1.2rem 0 .5rem}
        table{border-collapse:collapse;width:max-content;max-width:100%;background:#fff;display:block;overflow-x:auto;
        margin-bottom:1rem}
        th,td{padding:.4rem .6rem;border-bottom:1px solid #e1e4e8;text-align:left;white-space:nowrap}
        td.n,th.n{text-align:right}
        .tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:1rem}
        .tile,.card{background:#fff;border:1px solid #e1e4e8;border-radius:.5rem;padding:1rem}
        .tile h2{margin:0;font-size:1rem;color:#57606a}
        .big{font-size:1.4rem;font-weight:600;margin:.3rem 0}
        form.card{max-width:24rem;display:flex;flex-direction:column;gap:.4rem;margin-bottom:1rem}
        form.inline{display:inline;margin:0}
        input,textarea{font:inherit;padding:.5rem;border:1px solid #afb8c1;border-radius:.3rem;width:100%}
        input[aria-invalid],textarea[aria-invalid]{border-color:#cf222e}
        input[type=checkbox]{width:auto}
        button{font:inherit;padding:.45rem .9rem;border-radius:.3rem;border:1px solid #0b5d3b;background:#127a4f;
        color:#fff;cursor:pointer}
        .error{color:#cf222e;margin:0}
        tr.bad td{background:#ffebe9}
        .notice{background:#fff8c5;border:1px solid #d4a72c;padding:.5rem;border-radius:.3rem}
        dl.card{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}
        dt{color:#57606a}dd{margin:0;overflow-wrap:anywhere}
        select{font:inherit;padding:.45rem;border:1px solid #afb8c1;border-radius:.3rem;width:100%;background:#fff}
        form.filters{max-width:none;display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.6rem}
        .env{font-weight:700;padding:.4rem .6rem;border-radius:.3rem;display:inline-block}
        .env-sandbox{background:#ddf4ff;border:1px solid #54aeff}
        .env-production{background:#ffebe9;border:1px solid #cf222e;color:#82071e}
        .muted{color:#57606a;font-size:.9rem}
        .timeline li{margin:.4rem 0}
        pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;border:1px solid #e1e4e8;padding:.5rem}
        .pager{display:flex;gap:1rem}
        input.check{width:auto;margin-right:.4rem}
        select.compact,input.compact{width:auto;display:inline-block}
        td input.compact{width:9rem}
        fieldset{border:1px solid #e1e4e8;border-radius:.3rem;display:flex;flex-direction:column}
        .actions{display:flex;flex-wrap:wrap;gap:.6rem}
        button.danger{background:#cf222e;border-color:#a40e26}
        button.secondary{background:#fff;color:#0b5d3b}
        pre.secret{font-size:1.1rem;border:2px solid #d4a72c}
        ul.links li{margin:.3rem 0}
        figure{margin:0;overflow-x:auto}
        svg.chart{display:block;min-width:32rem}
        """
}
