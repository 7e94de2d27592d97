import DarajaWire
import Foundation
import HTTPTypes
import Hummingbird
import PesaCore
import PesaEngine

extension DashboardController {
    func addReportRoutes(to group: RouterGroup<PesaRequestContext>) {
        group.get("reports", use: reports)
        group.get("reports/transactions.csv", use: reportsCSV)
    }

    /// `GET /ui/reports`: what `GET /v1/reports/summary` answers (manager and up, the same use case), for Kenya
    /// days `from` to `to` (both included; the last 30 days unless given) and a short code: the totals, then
    /// charts of the volume by day and of the count by status, type and short code, and a link to the CSV of
    /// the same payments. A date or short code that cannot be read is a message next to its field.
    @Sendable func reports(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let page = try await signedIn(request, context: context)
        let organization = try context.targetOrganization(request)
        try context.require(.readReportSummary, in: organization)
        let engine = try await gateway.engine(organization)
        guard let record = engine.accessView.organization else { throw APIError.notFound() }
        var form = ReportForm(request.uri.queryParameters, today: KenyaTime.dayIndex(ms: gateway.wallClockMs))
        let filter = try await reportFilter(&form, organization: organization)
        var values = form.context
        var status = HTTPResponse.Status.unprocessableContent
        if let filter {
            status = .ok
            let summary = try await ReportsController.summary(
                filter, zone: .kenya, in: organization, gateway: gateway)
            let csv = page.identity.principal.authorize(.exportTransactionsCSV, in: organization) == .allowed
            values["report"] = Self.reportValues(summary, form: form, csv: csv)
        }
        return DashboardPages.page(
            title: "Reports",
            layout: DashboardLayout(organizationName: record.name, page: page, currentPath: "/ui/reports"),
            template: DashboardTemplates.reports, context: values, status: status)
    }

    /// `GET /ui/reports/transactions.csv`: the CSV of `GET /v1/reports/transactions.csv`, streamed by the same
    /// code, for the reports page's filters.
    @Sendable func reportsCSV(_ request: Request, context: PesaRequestContext) async throws -> Response {
        _ = try await signedIn(request, context: context)
        let organization = try context.targetOrganization(request)
        try context.require(.exportTransactionsCSV, in: organization)
        var form = ReportForm(request.uri.queryParameters, today: KenyaTime.dayIndex(ms: gateway.wallClockMs))
        guard let filter = try await reportFilter(&form, organization: organization) else {
            let (field, message) =
                form.errors.first { $0.1 != nil }.map { ($0.0, $0.1 ?? "") } ?? ("from", "Check the dates.")
            throw APIError.invalidField(field, message)
        }
        return try await ReportsController.csvResponse(filter, in: organization, gateway: gateway)
    }

    /// The payments the form selects; nil (and the form's messages set) when a field cannot be read.
    func reportFilter(_ form: inout ReportForm, organization: OrganizationID) async throws -> PaymentFilter? {
        var shortCodeID: ShortCodeID?
        if !form.shortCode.isEmpty {
            do {
                shortCodeID = try await gateway.shortCodeFilter(form.shortCode, in: organization)
            } catch {
                let apiError = ErrorMapping.apiError(for: error)
                guard apiError.status == .unprocessableContent else { throw error }
                form.shortCodeError = "This organization has no short code \u{201C}\(form.shortCode)\u{201D}."
            }
        }
        guard let range = form.range, form.shortCodeError == nil else { return nil }
        var filter = PaymentFilter(
            fromMs: KenyaTime.startMs(ofDay: range.lowerBound), toMs: KenyaTime.startMs(ofDay: range.upperBound + 1))
        filter.shortCodeID = shortCodeID
        return filter
    }

    /// The totals and the charts of `summary`.
    static func reportValues(_ summary: PaymentSummary, form: ReportForm, csv: Bool) -> [String: Any] {
        let any = summary.total.count > 0
        let period = "from \(form.from) to \(form.to) (Kenya time)"
        var byDay: [Int64: Int64] = [:]
        for day in summary.byDay { byDay[day.day] = day.tally.volume.minorUnits }
        let days: [SVGChart.Point] =
            !any
            ? []
            : (form.range.map { Array($0) } ?? []).map { day in
                SVGChart.Point(
                    label: KenyaTime.dayKey(ms: KenyaTime.startMs(ofDay: day)), value: byDay[day] ?? 0)
            }
        let statuses = PaymentStatus.allCases.map { status in
            SVGChart.Point(label: status.rawValue, value: summary.byStatus[status]?.count ?? 0)
        }
        let types = PaymentType.allCases.map { type in
            SVGChart.Point(label: type.rawValue, value: summary.byType[type]?.count ?? 0)
        }
        let shortCodes = summary.byShortCode.sorted { lhs, rhs in
            lhs.value.count != rhs.value.count ? lhs.value.count > rhs.value.count : lhs.key < rhs.key
        }.map { SVGChart.Point(label: $0.key, value: $0.value.count) }
        let charts: [(String, String)] = [
            (
                "Volume by day",
                SVGChart.bars(
                    id: "chart-day", title: "Volume by day", description: "Volume of the payments each day \(period).",
                    points: days, unit: .kes)
            ),
            (
                "Payments by status",
                SVGChart.horizontalBars(
                    id: "chart-status", title: "Payments by status",
                    description: "Number of payments in each status \(period).", points: any ? statuses : [],
                    unit: .count)
            ),
            (
                "Payments by type",
                SVGChart.horizontalBars(
                    id: "chart-type", title: "Payments by type",
                    description: "Number of payments of each type \(period).", points: any ? types : [],
                    unit: .count)
            ),
            (
                "Payments by short code",
                SVGChart.horizontalBars(
                    id: "chart-short-code", title: "Payments by short code",
                    description: "Number of payments through each short code \(period).", points: shortCodes,
                    unit: .count,
                    emptyMessage: any ? "No payments through a short code in this period" : SVGChart.emptyMessage)
            ),
        ]
        var values: [String: Any] = [
            "count": SVGChart.grouped(summary.total.count), "volume": DashboardFormat.kes(summary.total.volume),
            "success_rate": "—", "success_note": DashboardPages.section("No payment in this period is final yet."),
            "charts": charts.map { ["heading": $0.0, "svg": $0.1] }, "csv": csv,
            "csv_href": "/ui/reports/transactions.csv?" + form.query,
        ]
        if let rate = summary.successRate {
            values["success_rate"] = percent(rate.succeeded, of: rate.final)
            values["success_note"] = false
        }
        return values
    }

    /// `87.50%`: to two decimals, as the API's `success_rate` to four.
    static func percent(_ part: Int64, of whole: Int64) -> String {
        guard whole > 0 else { return "—" }
        let hundredths = (part * 10_000 + whole / 2) / whole
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)%"
    }
}

/// The reports page's filters: Kenya dates `from` and `to`, both included (the last 30 days by default, at most
/// `dayCountMax` days), and a short code (its number, till number or `sc_` id). A super admin's `org` is kept.
struct ReportForm {
    var from: String
    var to: String
    var shortCode: String
    var organization: String?
    var fromError: String?
    var toError: String?
    var shortCodeError: String?
    private var fromDay: Int64?
    private var toDay: Int64?

    static let dayCountMax: Int64 = 366
    static let defaultDayCount: Int64 = 30

    init(_ query: Parameters, today: Int64) {
        let text = { (name: String) in query.get(name)?.trimmingCharacters(in: .whitespaces) ?? "" }
        from = text("from")
        to = text("to")
        shortCode = text("short_code")
        organization = query.get("org")
        if from.isEmpty { from = Self.dateText(today - Self.defaultDayCount + 1) }
        if to.isEmpty { to = Self.dateText(today) }
        fromDay = Self.day(from)
        toDay = Self.day(to)
        let shape = "Enter a date as YYYY-MM-DD, for example \(Self.dateText(today))."
        if fromDay == nil { fromError = shape }
        if toDay == nil { toError = shape }
        if let fromDay, let toDay {
            if toDay < fromDay {
                toError = "The end date comes before the start date."
            } else if toDay - fromDay + 1 > Self.dayCountMax {
                toError = "Pick at most \(Self.dayCountMax) days."
            }
        }
    }

    /// The Kenya days asked for, when the form holds no error about them.
    var range: ClosedRange<Int64>? {
        guard fromError == nil, toError == nil, let fromDay, let toDay, fromDay <= toDay else { return nil }
        return fromDay...toDay
    }

    var errors: [(String, String?)] {
        [("from", fromError), ("to", toError), ("short_code", shortCodeError)]
    }

    /// The form's values as a query string, for links.
    var query: String {
        var pairs = [("from", from), ("to", to)]
        if !shortCode.isEmpty { pairs.append(("short_code", shortCode)) }
        if let organization { pairs.append(("org", organization)) }
        return pairs.map { name, value in
            name + "=" + (value.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? "")
        }.joined(separator: "&")
    }

    /// RFC 3986's unreserved characters: everything else in a link's value is percent-encoded.
    static let unreserved = CharacterSet(
        charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    var context: [String: Any] {
        [
            "from": from, "to": to, "short_code": shortCode, "org": DashboardPages.section(organization),
            "from_error": DashboardPages.section(fromError), "to_error": DashboardPages.section(toError),
            "short_code_error": DashboardPages.section(shortCodeError), "report": false,
        ]
    }

    /// `YYYY-MM-DD` of a Kenya day number.
    static func dateText(_ day: Int64) -> String {
        KenyaTime.dayKey(ms: KenyaTime.startMs(ofDay: day))
    }

    /// The day number of a `YYYY-MM-DD` date of the years 2000 to 9999; nil for anything else.
    static func day(_ text: String) -> Int64? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int64(parts[0]), let month = Int64(parts[1]), let date = Int64(parts[2]),
            (2000...9999).contains(year), (1...12).contains(month), (1...31).contains(date)
        else { return nil }
        let day = CivilDate.daysSinceEpoch(year: year, month: month, day: date)
        let back = CivilDate.civil(daysSinceEpoch: day)
        guard back.year == year, back.month == month, back.day == date else { return nil }
        return day
    }
}
