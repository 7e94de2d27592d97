import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PesaAPI
import PesaCore
import PesaEngine
import PesaStore
import PesaTesting
import Prometheus
import Testing

/// `GET /v1/reports/summary` and `GET /v1/reports/transactions.csv` through the real router and engine: both count
/// exactly what `GET /v1/transactions` lists with the same filters, another organization's payments never appear,
/// spreadsheet formulas are defused, and unreadable parameters are 422s naming them.
@Suite struct ReportsRouteTests {
    struct World {
        let gateway: Gateway
        let api: GatewayAPI
        let acme: OrganizationID
        let globex: OrganizationID
        let manager: String
        let user: String
    }

    static func world() async throws -> World {
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let gateway = try await Gateway.start(
            data: DataDirectory(root: "/data", io: SimulatedFileIO(seed: 12)), masterKey: .generate(), logger: logger)
        let api = await GatewayAPI.make(gateway: gateway, metricsRegistry: PrometheusCollectorRegistry(), bcryptCost: 4)
        let root = Actor(
            principal: try Principal(role: .superAdmin, organizationID: nil), id: "usr_root", requestID: "req_t")
        let acme = try await gateway.createOrganization(name: "Acme", slug: "acme", plan: "business", by: root).record
            .id
        let globex = try await gateway.createOrganization(name: "Globex", slug: "globex", plan: "free", by: root).record
            .id
        for (organization, count) in [(acme, 40), (globex, 7)] {
            _ = try await gateway.putCredentials(ReversalAmountTests.sandboxCredentials(), in: organization, by: root)
            try await journalPayments(count, in: organization, gateway: gateway)
        }
        var tokens: [String] = []
        for role in [Role.manager, .user] {
            let user = try await gateway.createUser(
                in: acme, email: "\(role.rawValue)@acme.co", passwordHash: "h", role: role, by: root)
            tokens.append(
                try await api.accessTokens.issue(user: user.id, principal: Principal(role: role, organizationID: acme))
                    .token)
        }
        return World(gateway: gateway, api: api, acme: acme, globex: globex, manager: tokens[0], user: tokens[1])
    }

    /// Pushes (some settled, some failed, some still pending) and C2B payments dated up to five days back, with
    /// references a spreadsheet would run as formulas.
    static func journalPayments(_ count: Int, in organization: OrganizationID, gateway: Gateway) async throws {
        let engine = try await gateway.engine(organization)
        let nowMs = Int64(Date().timeIntervalSince1970 * 1000)
        var events: [TenantEvent] = []
        for index in 0..<count {
            let id = PaymentID(randomBytes: CommandContext.randomBytes(16))
            let amount = Amount(minorUnits: Int64(100 + index * 137))
            if index % 3 == 0 {
                events.append(.c2bReceived(.init(
                    paymentID: id, amount: amount, phone: "254708374149", mpesaReceipt: "C2B\(index)\(organization)",
                    accountReference: ["=SUM(A1)", "-5", "+1", "@x", "plain, \"quoted\""][index % 5],
                    transactionAtMs: nowMs - Int64(index % 6) * 86_400_000)))
                continue
            }
            events.append(.stkPushRequested(.init(
                paymentID: id, amount: amount, phone: try MSISDN("0708374149"), accountReference: "INV-\(index)",
                description: "Order")))
            if index % 3 == 1 {
                events.append(.paymentSettled(.init(
                    paymentID: id, resultCode: ResultCode(index % 2 == 0 ? "1032" : "0"), resultDesc: "Done",
                    mpesaReceipt: index % 2 == 0 ? nil : "RCP\(index)\(organization)", source: .callback)))
            }
        }
        let decided = events
        try await engine.execute { (_, _) throws(EngineError) in Decision(events: decided, value: ()) }
    }

    static func get(_ client: some TestClientProtocol, _ path: String, token: String) async throws -> TestResponse {
        try await client.execute(uri: path, method: .get, headers: [.authorization: "Bearer \(token)"])
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any] ?? [:]
    }

    /// Every page of `/v1/transactions` with `query`.
    static func listAll(_ client: some TestClientProtocol, _ query: String, token: String) async throws
        -> [[String: Any]]
    {
        var rows: [[String: Any]] = []
        var cursor: String?
        repeat {
            let page = try json(try await get(
                client, "/v1/transactions?limit=7&\(query)" + (cursor.map { "&cursor=\($0)" } ?? ""), token: token))
            rows += page["data"] as? [[String: Any]] ?? []
            cursor = page["next_cursor"] as? String
        } while cursor != nil
        return rows
    }

    static func cents(_ value: Any?) -> Int64 {
        Int64((((value as? NSNumber)?.doubleValue ?? -1) * 100).rounded())
    }

    @Test func summaryAndCSVCountExactlyWhatTheListShows() async throws {
        let world = try await Self.world()
        let app = Application(router: world.api.buildRouter(), logger: Logger(label: "test"))
        try await app.test(.router) { client in
            let now = Date()
            let from = ISO8601DateFormatter().string(from: now.addingTimeInterval(-3 * 86_400 - 1_234))
            let to = ISO8601DateFormatter().string(from: now.addingTimeInterval(60))
            for query in ["", "status=succeeded", "type=c2b", "from=\(from)&to=\(to)", "from=\(from)&status=pending",
                "short_code=174379", "tz=-05:30", "tz=UTC&type=stk_push", "tz=Africa/Kigali"]
            {
                let listed = try await Self.listAll(client, query, token: world.manager)
                let response = try await Self.get(client, "/v1/reports/summary?\(query)", token: world.manager)
                #expect(response.status == .ok, "\(query): \(String(buffer: response.body))")
                let summary = try Self.json(response)
                #expect(summary["count"] as? Int == listed.count, "\(query)")
                #expect(Self.cents(summary["volume"]) == listed.reduce(0) { $0 + Self.cents($1["amount"]) })
                let byStatus = summary["by_status"] as? [String: [String: Any]] ?? [:]
                for status in PaymentStatus.allCases {
                    let expected = listed.filter { $0["status"] as? String == status.rawValue }
                    #expect(byStatus[status.rawValue]?["count"] as? Int == expected.count, "\(query) \(status)")
                }
                let days = summary["by_day"] as? [[String: Any]] ?? []
                #expect(days.reduce(0) { $0 + ($1["count"] as? Int ?? 0) } == listed.count)
                let csv = try await Self.get(client, "/v1/reports/transactions.csv?\(query)", token: world.manager)
                #expect(csv.status == .ok)
                #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(csv.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"transactions-") == true)
                let lines = String(buffer: csv.body).split(separator: "\n").map(String.init)
                #expect(lines.first == "id,type,status,amount,phone,receipt,reference,short_code,batch_id,created_at,"
                    + "updated_at")
                #expect(lines.dropFirst().map { String($0.prefix { $0 != "," }) } == listed.map { $0["id"] as? String })
            }
            let all = String(
                buffer: try await Self.get(client, "/v1/reports/transactions.csv", token: world.manager).body)
            #expect(all.contains(",'=SUM(A1),") && all.contains(",'-5,") && all.contains(",'+1,"))
            #expect(all.contains(",'@x,") && all.contains(#","plain, ""quoted""","#))
            #expect(!all.contains(world.globex.rawValue))
            let summary = try Self.json(try await Self.get(client, "/v1/reports/summary", token: world.manager))
            #expect(summary["count"] as? Int == 40)
            #expect(summary["tz"] as? String == "+03:00")
            let rate = (summary["success_rate"] as? NSNumber)?.doubleValue ?? -1
            let statuses = summary["by_status"] as? [String: [String: Any]] ?? [:]
            let count = { (status: String) in Double(statuses[status]?["count"] as? Int ?? 0) }
            #expect(abs(rate - count("succeeded") / (count("succeeded") + count("cancelled"))) < 0.0001)
        }
        await world.gateway.close()
    }

    @Test func badParametersAre422NamingThemAndAUserIsRefused() async throws {
        let world = try await Self.world()
        let app = Application(router: world.api.buildRouter(), logger: Logger(label: "test"))
        try await app.test(.router) { client in
            for (query, param) in [
                ("from=yesterday", "from"), ("to=2026-13-01T00:00:00Z", "to"),
                ("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from"), ("tz=Europe/London", "tz"),
                ("tz=%2B15:00", "tz"), ("tz=3", "tz"), ("short_code=999999", "short_code"), ("status=done", "status"),
                ("type=cash", "type"),
            ] {
                for route in ["summary", "transactions.csv"] where route == "summary" || param != "tz" {
                    let response = try await Self.get(client, "/v1/reports/\(route)?\(query)", token: world.manager)
                    #expect(response.status.code == 422, "\(route)?\(query)")
                    #expect(try ErrorBody.decode(response).param == param, "\(route)?\(query)")
                }
            }
            for tz in ["%2B03:00", "-05:30", "UTC", "Z", "%2B0545", "Asia/Kolkata"] {
                let response = try await Self.get(client, "/v1/reports/summary?tz=\(tz)", token: world.manager)
                #expect(response.status == .ok, "\(tz)")
            }
            let kolkata = try Self.json(
                try await Self.get(client, "/v1/reports/summary?tz=Asia/Kolkata", token: world.manager))
            #expect(kolkata["tz"] as? String == "+05:30")
            for route in ["summary", "transactions.csv"] {
                #expect(try await Self.get(client, "/v1/reports/\(route)", token: world.user).status == .forbidden)
                let other = try await Self.get(client, "/v1/reports/\(route)?org=\(world.globex)", token: world.manager)
                #expect(other.status.code == 404 || other.status.code == 403)
            }
        }
        await world.gateway.close()
    }
}
