import Mustache

extension DashboardTemplates {
    /// `GET /ui/reports`. Each chart's `{{{svg}}}` is unescaped: it is `SVGChart`'s output, whose every text and
    /// attribute value went through `XMLWriter.escape`.
    static let reports = parseReports(
        """
        <h1>Reports</h1>
        <form method="get" action="/ui/reports" class="card" novalidate>
        {{#org}}<input type="hidden" name="org" value="{{org}}">{{/org}}
        <label for="from">From (Kenya date)</label>
        <input id="from" name="from" type="date" value="{{from}}"
         {{#from_error}}aria-invalid="true" aria-describedby="from-error"{{/from_error}}>
        {{#from_error}}<p class="error" id="from-error">{{from_error}}</p>{{/from_error}}
        <label for="to">To (Kenya date, included)</label>
        <input id="to" name="to" type="date" value="{{to}}"
         {{#to_error}}aria-invalid="true" aria-describedby="to-error"{{/to_error}}>
        {{#to_error}}<p class="error" id="to-error">{{to_error}}</p>{{/to_error}}
        <label for="short_code">Short code (optional)</label>
        <input id="short_code" name="short_code" type="text" inputmode="numeric" value="{{short_code}}"
         {{#short_code_error}}aria-invalid="true" aria-describedby="short-code-error"{{/short_code_error}}>
        {{#short_code_error}}<p class="error" id="short-code-error">{{short_code_error}}</p>{{/short_code_error}}
        <button type="submit">Show</button>
        </form>
        {{#report}}
        <section class="tiles">
        <div class="tile"><h2>Payments</h2><p class="big">{{count}}</p></div>
        <div class="tile"><h2>Volume</h2><p class="big">{{volume}}</p></div>
        <div class="tile"><h2>Success rate</h2><p class="big">{{success_rate}}</p>
        {{#success_note}}<p>{{success_note}}</p>{{/success_note}}</div>
        </section>
        {{#csv}}<p><a href="{{csv_href}}" download>Download these payments as CSV</a></p>{{/csv}}
        {{#charts}}<section><h2>{{heading}}</h2>
        <figure>{{{svg}}}</figure></section>
        {{/charts}}
        {{/report}}
        """)

    private static func parseReports(_ text: String) -> MustacheTemplate {
        guard let template = try? MustacheTemplate(string: text) else {
            preconditionFailure("a dashboard template parses")
        }
        return template
    }
}
