import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Logging
import NIOCore
import PesaAPI
import PesaCore
import PesaEngine
import PesaStore
import PesaTesting
import Prometheus

/// A gateway with one organization (Acme Traders: an org_admin and a user, three payments, one with a
/// description that is a script), another one (Globex, one payment), and the dashboard's sessions on a clock
/// the tests move.
struct DashboardWorld {
    let gateway: Gateway
    let api: GatewayAPI
    let clock: ManualClock
    let acme: OrganizationID
    let globexPayment: PaymentID
    static let password = "correct-horse-battery"
    static let admin = "admin@acme.co"
    static let user = "user@acme.co"
    static let script = "<script>alert(1)</script>"

    /// `engineClock` times what the organizations journal (the dashboard's clock is `clock`).
    static func make(
        payments: PaymentSettings = PaymentSettings(), engineClock: any WallClock = SystemWallClock()
    ) async throws -> DashboardWorld {
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let gateway = try await Gateway.start(
            data: DataDirectory(root: "/data", io: SimulatedFileIO(seed: 31)), masterKey: .generate(),
            clock: engineClock, payments: payments, logger: logger)
        let clock = ManualClock(ms: Int64(Date().timeIntervalSince1970 * 1000))
        let api = await GatewayAPI.make(
            gateway: gateway, metricsRegistry: PrometheusCollectorRegistry(), bcryptCost: 4,
            dashboardClock: clock.clock)
        let root = Actor(
            principal: try Principal(role: .superAdmin, organizationID: nil), id: "usr_root", requestID: "req_t")
        let acme = try await gateway.createOrganization(name: "Acme Traders", slug: "acme", plan: "business", by: root)
            .record.id
        let globex = try await gateway.createOrganization(name: "Globex", slug: "globex", plan: "free", by: root)
            .record.id
        let hash = try await api.passwordHasher.hash(password)
        _ = try await gateway.createUser(in: acme, email: admin, passwordHash: hash, role: .orgAdmin, by: root)
        _ = try await gateway.createUser(in: acme, email: user, passwordHash: hash, role: .user, by: root)
        for (index, description) in ["Order 1", script, "Order 3"].enumerated() {
            _ = try await journalPayment(
                in: acme, amount: Int64(123_450 * (index + 1)), description: description, gateway: gateway)
        }
        let globexPayment = try await journalPayment(in: globex, amount: 5_000, description: "x", gateway: gateway)
        return DashboardWorld(gateway: gateway, api: api, clock: clock, acme: acme, globexPayment: globexPayment)
    }

    static func journalPayment(
        in organization: OrganizationID, amount: Int64, description: String, gateway: Gateway
    ) async throws -> PaymentID {
        let engine = try await gateway.engine(organization)
        let id = PaymentID(randomBytes: CommandContext.randomBytes(16))
        let events: [TenantEvent] = [
            .stkPushRequested(
                .init(
                    paymentID: id, amount: Amount(minorUnits: amount), phone: try MSISDN("0708374149"),
                    accountReference: "INV-1", description: description))
        ]
        try await engine.execute { (_, _) throws(EngineError) in Decision(events: events, value: ()) }
        return id
    }

    func test<Value: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        let app = Application(router: api.buildRouter(), logger: Logger(label: "test"))
        return try await app.test(.router, body)
    }
}

/// What a browser keeps between requests: its cookies.
struct Browser: Sendable {
    var cookies: [String: String] = [:]

    var headers: HTTPFields {
        var fields = HTTPFields()
        if !cookies.isEmpty {
            fields[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        return fields
    }

    mutating func keep(_ response: TestResponse) {
        for header in response.headers[values: .setCookie] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            let name = String(pair[0])
            let value = pair.count > 1 ? String(pair[1]) : ""
            cookies[name] = value.isEmpty ? nil : value
        }
    }

    /// GET `uri`, keeping its cookies.
    mutating func get(_ uri: String, client: any TestClientProtocol) async throws -> TestResponse {
        let response = try await client.execute(uri: uri, method: .get, headers: headers, body: nil)
        keep(response)
        return response
    }

    /// POST a form to `uri`, keeping its cookies.
    mutating func post(_ uri: String, form: [(String, String)], client: any TestClientProtocol) async throws
        -> TestResponse
    {
        var fields = headers
        fields[.contentType] = "application/x-www-form-urlencoded"
        let body = form.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        let response = try await client.execute(
            uri: uri, method: .post, headers: fields, body: ByteBuffer(string: body))
        keep(response)
        return response
    }

    /// Logs in through the form; the answer of the POST.
    mutating func logIn(
        email: String, password: String = DashboardWorld.password, client: any TestClientProtocol
    ) async throws -> TestResponse {
        let form = try await get("/ui/login", client: client)
        let token = Self.csrfToken(in: String(buffer: form.body)) ?? ""
        return try await post(
            "/ui/login", form: [("csrf_token", token), ("email", email), ("password", password)], client: client)
    }

    static func csrfToken(in html: String) -> String? {
        guard let start = html.range(of: "name=\"csrf_token\" value=\"") else { return nil }
        return String(html[start.upperBound...].prefix { $0 != "\"" })
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}

extension TestResponse {
    var html: String { String(buffer: body) }
}
