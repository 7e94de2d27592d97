import DarajaSandbox
import Foundation
import HTTPTypes
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

/// A gateway paying out through the embedded Daraja sandbox: Acme Traders (sandbox credentials, two
/// org_admins, a manager and a user) and Globex (sandbox credentials, one batch of its own), with the sandbox's
/// callbacks to hand to the gateway.
struct PayoutWorld: Sendable {
    let gateway: Gateway
    let acme: OrganizationID
    let globex: OrganizationID
    let globexBatch: BatchID
    /// The sandbox and the recorder of the callbacks it sends.
    let services: SandboxServices
    static let admin = "admin@acme.co"
    static let checker = "checker@acme.co"
    static let manager = "manager@acme.co"
    static let user = "user@acme.co"
    static let root = Actor(
        principal: try! Principal(role: .superAdmin, organizationID: nil), id: "usr_root", requestID: "req_t")

    /// Runs `body` with a fresh world and a client of its router, then closes the gateway.
    static func run(_ body: @Sendable (PayoutWorld, any TestClientProtocol) async throws -> Void) async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        try await SandboxServices.run(logLevel: .critical) { services in
            let upstream = UpstreamClients(httpClient: services.httpClient, logger: logger)
            upstream.setSandboxBaseURL(services.baseURL)
            try upstream.setCertificate(pem: services.sandbox.certificatePEM, for: "sandbox")
            let gateway = try await Gateway.start(
                data: DataDirectory(root: "/data", io: SimulatedFileIO(seed: 37)), masterKey: .generate(),
                payments: PaymentSettings(publicURL: services.callbackBase), upstream: upstream, logger: logger)
            let api = await GatewayAPI.make(
                gateway: gateway, metricsRegistry: PrometheusCollectorRegistry(), bcryptCost: 4)
            let acme = try await gateway.createOrganization(
                name: "Acme Traders", slug: "acme", plan: "business", by: root
            )
            .record.id
            let globex = try await gateway.createOrganization(
                name: "Globex", slug: "globex", plan: "business", by: root
            )
            .record.id
            for organization in [acme, globex] {
                _ = try await gateway.putCredentials(
                    ReversalAmountTests.sandboxCredentials(), in: organization, by: root)
            }
            let hash = try await api.passwordHasher.hash(DashboardWorld.password)
            let people: [(String, Role)] = [
                (admin, .orgAdmin), (checker, .orgAdmin), (manager, .manager), (user, .user),
            ]
            for (email, role) in people {
                _ = try await gateway.createUser(in: acme, email: email, passwordHash: hash, role: role, by: root)
            }
            _ = try await gateway.createSuperAdmin(email: DashboardWorld.operatorEmail, passwordHash: hash)
            let globexBatch = try await gateway.createPayoutBatch(
                BatchParameters(
                    command: "business_payment", shortCode: nil,
                    items: [BatchRowParameters(phone: "0708374149", amount: 100, reference: "Globex 1", name: nil)],
                    allowDuplicates: false, contentHash: "globex"),
                in: globex, idempotency: nil, by: root
            ).batch.id
            let world = PayoutWorld(
                gateway: gateway, acme: acme, globex: globex, globexBatch: globexBatch, services: services)
            let app = Application(router: api.buildRouter(), logger: logger)
            do {
                try await app.test(.router) { client in try await body(world, client) }
            } catch {
                await gateway.close()
                throw error
            }
            await gateway.close()
        }
    }

    /// Acme's batches.
    func batches() async throws -> [BatchRecord] {
        try await gateway.payoutBatches(in: acme, offset: 0, limit: 100, by: Self.root).batches
    }

    /// Acme's payouts.
    func payouts() async throws -> [Payment] {
        try await gateway.engine(acme).read { $0.payments.list(PaymentFilter()).payments }.filter { $0.type == .b2c }
    }

    /// Acme's reversals.
    func reversals() async throws -> [Payment] {
        try await gateway.engine(acme).read { $0.payments.list(PaymentFilter()).payments }
            .filter { $0.type == .reversal }
    }

    /// The first `count` callbacks of `kind` the sandbox sent for Acme, handed to the gateway in order.
    @discardableResult
    func deliverCallbacks(_ kind: CallbackKind, count: Int = 1) async throws -> [CallbackAnswer] {
        let token = try await gateway.organization(acme, by: Self.root).callbackToken ?? ""
        let deliveries = await services.recorder.waitForDeliveries(
            to: try await callbackPath(kind), count: count, timeoutMs: 10_000)
        #expect(deliveries.count >= count, "\(kind) callbacks")
        var answers: [CallbackAnswer] = []
        for delivery in deliveries.prefix(count) {
            answers.append(
                try await gateway.receiveCallback(slug: "acme", token: token, kind: kind, body: Array(delivery.body)))
        }
        return answers
    }

    /// Where the sandbox sends Acme's callbacks of `kind`.
    func callbackPath(_ kind: CallbackKind) async throws -> String {
        "/callbacks/acme/\(try await gateway.organization(acme, by: Self.root).callbackToken ?? "")/\(kind.rawValue)"
    }

    /// An STK push of Acme of `amount` KES, paid: settled by the sandbox's callback, with its receipt.
    func paidPush(amount: Int64 = 300) async throws -> Payment {
        let push = try await gateway.stkPush(
            STKPushParameters(phone: "0708374149", amount: amount, accountReference: "INV-1", description: "Order 1"),
            in: acme, idempotency: nil, by: Self.root)
        try await deliverCallbacks(.stk)
        return try await gateway.payment(push.payment.id, in: acme, by: Self.root)
    }

    /// A browser logged in as `email`.
    static func browser(_ email: String, client: any TestClientProtocol) async throws -> Browser {
        var browser = Browser()
        _ = try await browser.logIn(email: email, client: client)
        return browser
    }

    /// Expects a confirmation page to carry each of `fields` in a hidden field, the CSRF token and key included.
    static func expectHidden(
        _ fields: [(String, String)], in html: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for (name, value) in fields {
            #expect(
                html.contains("<input type=\"hidden\" name=\"\(name)\" value=\"\(value)\">"), "\(name)",
                sourceLocation: sourceLocation)
        }
    }

    /// The value of the hidden or text input `name` in `html`, HTML entities decoded.
    static func value(of name: String, in html: String) -> String? {
        guard let start = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(html[start.upperBound...].prefix { $0 != "\"" }).replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }
}

extension Browser {
    /// POST a `multipart/form-data` form to `uri`, `file` as the part `file`, keeping its cookies.
    mutating func postMultipart(
        _ uri: String, form: [(String, String)], file: (name: String, content: String)?, client: any TestClientProtocol
    ) async throws -> TestResponse {
        let boundary = "----PesaBoundary7MA4YWxkTrZu0gW"
        var body = ""
        for (name, value) in form {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        if let file {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\n"
            body += "Content-Type: text/csv\r\n\r\n\(file.content)\r\n"
        }
        body += "--\(boundary)--\r\n"
        var fields = headers
        fields[.contentType] = "multipart/form-data; boundary=\(boundary)"
        let response = try await client.execute(
            uri: uri, method: .post, headers: fields, body: ByteBuffer(string: body))
        keep(response)
        return response
    }
}
