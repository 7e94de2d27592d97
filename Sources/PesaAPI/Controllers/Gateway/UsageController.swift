import Hummingbird
import PesaCore
import PesaEngine

/// `GET /v1/usage`, `GET /v1/usage/daily` (manager and up, the caller's organization) and
/// `GET /v1/admin/usage` (super admin, every organization): what was metered in a month, counted from each
/// organization's journal. Months and days are Kenya time (EAT, UTC+3), and every answer says so.
struct UsageController: Sendable {
    let gateway: Gateway

    static let timezone = "Africa/Nairobi (EAT, UTC+3)"

    func addRoutes(to routes: APIRoutes) {
        routes.add(Self.monthSpec, use: month)
        routes.add(Self.dailySpec, use: daily)
        routes.add(Self.adminSpec, use: admin)
    }

    struct CountJSON: Encodable, Sendable {
        let count: Int64
        let volume: ShillingsJSON?
    }

    static func items(_ counts: [UsageItem: UsageCount]) -> [String: CountJSON] {
        var items: [String: CountJSON] = [:]
        for item in UsageItem.allCases {
            let count = counts[item] ?? UsageCount()
            let hasVolume = item == .collectionsSucceeded || item == .payoutsSucceeded
            items[item.rawValue] = CountJSON(count: count.count, volume: hasVolume ? ShillingsJSON(count.volume) : nil)
        }
        return items
    }

    struct MonthJSON: ResponseEncodable, Sendable {
        let month: String
        let timezone: String
        let periodStart: String
        let periodEnd: String
        let apiCalls: Int64
        let webhooksDelivered: Int64
        let items: [String: CountJSON]
        let byShortCode: [String: [String: CountJSON]]
        let journalSeqFrom: UInt64?
        let journalSeqTo: UInt64?
        /// The organization's rate limit in force now (absent when it has none).
        let rateLimit: RateLimitJSON?

        init(_ usage: MonthUsage, rateLimit: RateLimit? = nil) {
            let range = KenyaTime.month(usage.month) ?? (0, 0)
            month = usage.month
            timezone = UsageController.timezone
            periodStart = RFC3339.string(ms: range.startMs)
            periodEnd = RFC3339.string(ms: range.endMs)
            apiCalls = usage.apiCalls
            webhooksDelivered = usage.webhooksDelivered
            items = UsageController.items(usage.items)
            byShortCode = usage.byShortCode.mapValues(UsageController.items)
            journalSeqFrom = usage.firstSeq
            journalSeqTo = usage.lastSeq
            self.rateLimit = rateLimit.map(RateLimitJSON.init)
        }

        enum CodingKeys: String, CodingKey {
            case month, timezone, items
            case periodStart = "period_start"
            case periodEnd = "period_end"
            case apiCalls = "api_calls"
            case webhooksDelivered = "webhooks_delivered"
            case byShortCode = "by_short_code"
            case journalSeqFrom = "journal_seq_from"
            case journalSeqTo = "journal_seq_to"
            case rateLimit = "rate_limit"
        }
    }

    struct DailyJSON: ResponseEncodable, Sendable {
        struct Day: Encodable, Sendable {
            let date: String
            let items: [String: CountJSON]
        }

        let month: String
        let timezone: String
        let data: [Day]
    }

    struct AdminJSON: ResponseEncodable, Sendable {
        struct Row: Encodable, Sendable {
            let organizationID: String
            let slug: String
            let name: String
            let apiCalls: Int64
            let transactions: Int64
            let volume: ShillingsJSON
            let items: [String: CountJSON]

            enum CodingKeys: String, CodingKey {
                case slug, name, transactions, volume, items
                case organizationID = "organization_id"
                case apiCalls = "api_calls"
            }
        }

        struct Totals: Encodable, Sendable {
            let organizations: Int
            let apiCalls: Int64
            let transactions: Int64
            let volume: ShillingsJSON

            enum CodingKeys: String, CodingKey {
                case organizations, transactions, volume
                case apiCalls = "api_calls"
            }
        }

        let month: String
        let timezone: String
        let data: [Row]
        let totals: Totals
    }

    @Sendable func month(_ request: Request, context: PesaRequestContext) async throws -> MonthJSON {
        let identity = try context.requireIdentity()
        let organization = try context.targetOrganization(request)
        let usage = try await gateway.usage(
            month: request.uri.queryParameters.get("month").map { String($0) }, in: organization,
            by: identity.actor(requestID: context.requestID))
        return MonthJSON(usage, rateLimit: try await gateway.rateLimit(of: organization))
    }

    @Sendable func daily(_ request: Request, context: PesaRequestContext) async throws -> DailyJSON {
        let identity = try context.requireIdentity()
        let organization = try context.targetOrganization(request)
        let usage = try await gateway.usage(
            month: request.uri.queryParameters.get("month").map { String($0) }, in: organization,
            by: identity.actor(requestID: context.requestID))
        let days = usage.byDay.keys.sorted().map { DailyJSON.Day(date: $0, items: Self.items(usage.byDay[$0] ?? [:])) }
        return DailyJSON(month: usage.month, timezone: Self.timezone, data: days)
    }

    /// Sorted by `sort` (`api_calls`, `transactions` — payments started — or `volume` — succeeded collections
    /// and payouts; default `volume`), largest first unless `order=asc`.
    @Sendable func admin(_ request: Request, context: PesaRequestContext) async throws -> AdminJSON {
        let identity = try context.requireIdentity()
        let parameters = request.uri.queryParameters
        let sort = parameters.get("sort").map { String($0) } ?? "volume"
        guard ["api_calls", "transactions", "volume"].contains(sort) else {
            throw APIError.invalidField("sort", "sort must be api_calls, transactions or volume")
        }
        let order = parameters.get("order").map { String($0) } ?? "desc"
        guard order == "asc" || order == "desc" else {
            throw APIError.invalidField("order", "order must be asc or desc")
        }
        let rows = try await gateway.allUsage(
            month: parameters.get("month").map { String($0) }, by: identity.actor(requestID: context.requestID))
        let month = try await gateway.usageMonthText(parameters.get("month").map { String($0) })
        var data = rows.map { row -> (AdminJSON.Row, Int64) in
            let usage = row.usage
            let transactions = Self.transactions(usage)
            let volume = Self.volume(usage).minorUnits
            let key = switch sort {
            case "api_calls": usage.apiCalls
            case "transactions": transactions
            default: volume
            }
            return (AdminJSON.Row(
                organizationID: row.organizationID.rawValue, slug: row.slug, name: row.name, apiCalls: usage.apiCalls,
                transactions: transactions, volume: ShillingsJSON(Amount(minorUnits: volume)),
                items: Self.items(usage.items)), key)
        }
        data.sort { order == "asc" ? ($0.1, $0.0.slug) < ($1.1, $1.0.slug) : ($0.1, $1.0.slug) > ($1.1, $0.0.slug) }
        let totals = AdminJSON.Totals(
            organizations: data.count, apiCalls: data.reduce(0) { $0 + $1.0.apiCalls },
            transactions: data.reduce(0) { $0 + $1.0.transactions },
            volume: ShillingsJSON(Amount(minorUnits: data.reduce(0) { $0 + $1.0.volume.minorUnits })))
        return AdminJSON(month: month, timezone: Self.timezone, data: data.map(\.0), totals: totals)
    }

    /// A month's transactions: payments started (STK pushes, C2B payments, payouts and reversals).
    static func transactions(_ usage: MonthUsage) -> Int64 {
        [UsageItem.stkPushes, .c2bPayments, .payouts, .reversals].reduce(Int64(0)) { $0 + usage.count($1).count }
    }

    /// A month's volume: succeeded collections and payouts.
    static func volume(_ usage: MonthUsage) -> Amount {
        Amount(
            minorUnits: usage.count(.collectionsSucceeded).volume.minorUnits
                + usage.count(.payoutsSucceeded).volume.minorUnits)
    }

    static let count = JSONSchema.object(["count": JSONSchema.integer, "volume": ["type": "number"]])
    static let items = JSONSchema.object(
        Dictionary(uniqueKeysWithValues: UsageItem.allCases.map { ($0.rawValue, count) }))
    static let query: [String: JSONValue] = ["org": JSONSchema.string, "month": JSONSchema.string]

    static let monthSpec = RouteSpec(
        .get, "/v1/usage", summary: "A month's metered usage (Kenya time), in total and by short code",
        action: .readUsage, tag: "billing", query: query,
        responseBody: JSONSchema.object([
            "month": JSONSchema.string, "timezone": JSONSchema.string, "period_start": JSONSchema.dateTime,
            "period_end": JSONSchema.dateTime, "api_calls": JSONSchema.integer,
            "webhooks_delivered": JSONSchema.integer, "items": items,
            "by_short_code": ["type": "object", "additionalProperties": items],
            "journal_seq_from": JSONSchema.nullable(JSONSchema.integer),
            "journal_seq_to": JSONSchema.nullable(JSONSchema.integer), "rate_limit": JSONSchema.rateLimit,
        ]), errors: [.invalidField])
    static let dailySpec = RouteSpec(
        .get, "/v1/usage/daily", summary: "A month's metered usage day by day (Kenya time)", action: .readUsage,
        tag: "billing", query: query,
        responseBody: JSONSchema.object([
            "month": JSONSchema.string, "timezone": JSONSchema.string,
            "data": JSONSchema.array(of: JSONSchema.object(["date": JSONSchema.string, "items": items])),
        ]), errors: [.invalidField])
    static let adminSpec = RouteSpec(
        .get, "/v1/admin/usage",
        summary: "Every organization's usage of a month, sortable (sort=api_calls|transactions|volume, order), "
            + "with totals", action: .readAllUsage, tag: "billing",
        query: ["month": JSONSchema.string, "sort": JSONSchema.string, "order": JSONSchema.string],
        responseBody: JSONSchema.object([
            "month": JSONSchema.string, "timezone": JSONSchema.string,
            "data": JSONSchema.array(of: JSONSchema.object([
                "organization_id": JSONSchema.string, "slug": JSONSchema.string, "name": JSONSchema.string,
                "api_calls": JSONSchema.integer, "transactions": JSONSchema.integer, "volume": ["type": "number"],
                "items": items,
            ])),
            "totals": JSONSchema.object([
                "organizations": JSONSchema.integer, "api_calls": JSONSchema.integer,
                "transactions": JSONSchema.integer, "volume": ["type": "number"],
            ]),
        ]), errors: [.invalidField])
}
