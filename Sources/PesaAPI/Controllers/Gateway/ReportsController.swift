import DarajaWire
import Hummingbird
import NIOCore
import PesaCore
import PesaEngine

/// `/v1/reports` (manager and up, the caller's organization; a super admin names one with `?org=`): a summary of
/// the payments the filters of `GET /v1/transactions` select, and those payments as CSV. Both take the same
/// filters as the list and count exactly what it lists.
struct ReportsController: Sendable {
    let gateway: Gateway

    func addRoutes(to routes: APIRoutes) {
        routes.add(Self.summarySpec, use: summary)
        routes.add(Self.csvSpec, use: csv)
    }

    @Sendable func summary(_ request: Request, context: PesaRequestContext) async throws -> ReportSummaryJSON {
        let organization = try context.targetOrganization(request)
        try context.require(.readReportSummary, in: organization)
        let zone = try ReportTimeZone(parameter: request.uri.queryParameters.get("tz"))
        let filter = try await PaymentFilter(request: request, organization: organization, gateway: gateway)
        let summary = try await Self.summary(filter, zone: zone, in: organization, gateway: gateway)
        return ReportSummaryJSON(summary, filter: filter, zone: zone)
    }

    /// The counts and volumes of the payments `filter` selects, days cut in `zone`: what the summary answers and
    /// the dashboard's reports page draws.
    static func summary(
        _ filter: PaymentFilter, zone: ReportTimeZone, in organization: OrganizationID, gateway: Gateway
    ) async throws -> PaymentSummary {
        let engine = try await gateway.engine(organization)
        return try await engine.read { $0.payments.summary(filter, utcOffsetMs: zone.offsetMs) }
    }

    static let csvHeader = [
        "id", "type", "status", "amount", "phone", "receipt", "reference", "short_code", "batch_id", "created_at",
        "updated_at",
    ]

    /// One payment as a CSV row. Texts from outside are defused (`CSVText.safe`); the amount is written by the
    /// gateway with two decimals and is never negative, so it stays a number a spreadsheet can sum.
    static func csvRow(_ payment: Payment) -> [String] {
        [
            payment.id.rawValue, payment.type.rawValue, payment.status.rawValue, payment.amount.description,
            CSVText.safe(payment.phone), CSVText.safe(payment.mpesaReceipt ?? ""),
            CSVText.safe(payment.accountReference ?? ""), CSVText.safe(payment.shortCode ?? ""),
            CSVText.safe(payment.batchID ?? ""), RFC3339.string(ms: payment.createdAtMs),
            RFC3339.string(ms: payment.updatedAtMs),
        ]
    }

    /// Newest first, like the list. The payments that exist when the request arrives are walked in reads of
    /// `Limits.exportScanRowsMax` rows, each under the tenant's lock for a moment; each read's rows are sent as a
    /// chunk before the next read (the writer waits while the client is slow), so memory stays that of a chunk.
    @Sendable func csv(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let organization = try context.targetOrganization(request)
        try context.require(.exportTransactionsCSV, in: organization)
        let filter = try await PaymentFilter(request: request, organization: organization, gateway: gateway)
        return try await Self.csvResponse(filter, in: organization, gateway: gateway)
    }

    /// The payments `filter` selects as a streamed CSV attachment: the export's answer, the dashboard's too.
    static func csvResponse(
        _ filter: PaymentFilter, in organization: OrganizationID, gateway: Gateway
    ) async throws -> Response {
        let engine = try await gateway.engine(organization)
        let rows = try await engine.read { $0.payments.count }
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(bytes: try CSVText.encode([Self.csvHeader])))
            var end = rows
            while end > 0 {
                let below = end
                let page = try await engine.read {
                    $0.payments.exportPage(filter, below: below, scanRowsMax: Limits.exportScanRowsMax)
                }
                if !page.payments.isEmpty {
                    try await writer.write(ByteBuffer(bytes: try CSVText.encode(page.payments.map(Self.csvRow))))
                }
                end = page.next
            }
            try await writer.finish(nil)
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"transactions-\(organization.rawValue).csv\""
        return Response(status: .ok, headers: headers, body: body)
    }

    static let tally = JSONSchema.object(["count": JSONSchema.integer, "volume": ["type": "number"]])
    static let summarySpec = RouteSpec(
        .get, "/v1/reports/summary",
        summary: "Counts and volumes of the payments the filters of /v1/transactions select, by type, status, day "
            + "(Kenya time unless tz) and short code, with the success rate", action: .readReportSummary,
        tag: "reports", query: PaymentFilter.querySchema.merging(["tz": JSONSchema.string]) { $1 },
        responseBody: JSONSchema.object([
            "from": JSONSchema.nullable(JSONSchema.dateTime), "to": JSONSchema.nullable(JSONSchema.dateTime),
            "tz": JSONSchema.string, "count": JSONSchema.integer, "volume": ["type": "number"],
            "success_rate": JSONSchema.nullable(["type": "number"]),
            "by_type": ["type": "object", "additionalProperties": tally],
            "by_status": ["type": "object", "additionalProperties": tally],
            "by_day": JSONSchema.array(
                of: JSONSchema.object([
                    "date": JSONSchema.string, "count": JSONSchema.integer, "volume": ["type": "number"],
                ])),
            "by_short_code": ["type": "object", "additionalProperties": tally],
        ]), errors: [.invalidField])
    static let csvSpec = RouteSpec(
        .get, "/v1/reports/transactions.csv",
        summary: "The payments the filters of /v1/transactions select as CSV, newest first, streamed",
        action: .exportTransactionsCSV, tag: "reports", query: PaymentFilter.querySchema,
        responseBody: JSONSchema.string, responseContentType: "text/csv", errors: [.invalidField])
}

/// The answer of `GET /v1/reports/summary`. `success_rate`: (succeeded + reversed) / (succeeded + reversed +
/// failed + cancelled + timeout), rounded to 4 decimals; pending and unknown payments are left out, and it is
/// null when no payment is final.
struct ReportSummaryJSON: ResponseEncodable, Sendable {
    struct Tally: Encodable, Sendable {
        let count: Int64
        let volume: ShillingsJSON

        init(_ tally: PaymentSummary.Tally?) {
            count = tally?.count ?? 0
            volume = ShillingsJSON(tally?.volume ?? .zero)
        }
    }

    struct Day: Encodable, Sendable {
        let date: String
        let count: Int64
        let volume: ShillingsJSON
    }

    let from: String?
    let to: String?
    let tz: String
    let total: Tally
    let successRate: Double?
    let byType: [String: Tally]
    let byStatus: [String: Tally]
    let byDay: [Day]
    let byShortCode: [String: Tally]

    init(_ summary: PaymentSummary, filter: PaymentFilter, zone: ReportTimeZone) {
        from = filter.fromMs.map(RFC3339.string(ms:))
        to = filter.toMs.map(RFC3339.string(ms:))
        tz = zone.text
        total = Tally(summary.total)
        successRate = summary.successRate.map { (Double($0.succeeded) / Double($0.final) * 10_000).rounded() / 10_000 }
        byType = Dictionary(uniqueKeysWithValues: PaymentType.allCases.map { ($0.rawValue, Tally(summary.byType[$0])) })
        byStatus = Dictionary(
            uniqueKeysWithValues: PaymentStatus.allCases.map { ($0.rawValue, Tally(summary.byStatus[$0])) })
        byDay = summary.byDay.map { day in
            let (year, month, date) = CivilDate.civil(daysSinceEpoch: day.day)
            let pad = { (value: Int64, width: Int) in
                String(repeating: "0", count: max(0, width - String(value).count)) + String(value)
            }
            return Day(
                date: pad(year, 4) + "-" + pad(month, 2) + "-" + pad(date, 2), count: day.tally.count,
                volume: ShillingsJSON(day.tally.volume))
        }
        byShortCode = summary.byShortCode.mapValues { Tally($0) }
    }

    enum CodingKeys: String, CodingKey {
        case from, to, tz, count, volume
        case successRate = "success_rate"
        case byType = "by_type"
        case byStatus = "by_status"
        case byDay = "by_day"
        case byShortCode = "by_short_code"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(from, forKey: .from)
        try container.encode(to, forKey: .to)
        try container.encode(tz, forKey: .tz)
        try container.encode(total.count, forKey: .count)
        try container.encode(total.volume, forKey: .volume)
        try container.encode(successRate, forKey: .successRate)
        try container.encode(byType, forKey: .byType)
        try container.encode(byStatus, forKey: .byStatus)
        try container.encode(byDay, forKey: .byDay)
        try container.encode(byShortCode, forKey: .byShortCode)
    }
}
