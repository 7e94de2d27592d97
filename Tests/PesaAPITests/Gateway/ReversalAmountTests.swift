import DarajaSandbox
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

/// `POST /v1/reversals` at the edge of what may be reversed, through the real router, the engine and the
/// embedded Daraja sandbox: exactly the original amount is accepted, one shilling more is 422 naming `amount`.
@Suite struct ReversalAmountTests {
    @Test func aReversalOfExactlyTheOriginalAmountPassesAndOneShillingMoreIs422() async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        try await SandboxServices.run(logLevel: .critical) { services in
            let upstream = UpstreamClients(httpClient: services.httpClient, logger: logger)
            upstream.setSandboxBaseURL(services.baseURL)
            try upstream.setCertificate(pem: services.sandbox.certificatePEM, for: "sandbox")
            let gateway = try await Gateway.start(
                data: DataDirectory(root: "/data", io: SimulatedFileIO(seed: 31)), masterKey: .generate(),
                payments: PaymentSettings(publicURL: services.callbackBase), upstream: upstream, logger: logger)
            let api = await GatewayAPI.make(
                gateway: gateway, metricsRegistry: PrometheusCollectorRegistry(), bcryptCost: 4)
            let root = Actor(
                principal: try Principal(role: .superAdmin, organizationID: nil), id: "usr_root", requestID: "req_t")
            let acme = try await gateway.createOrganization(name: "Acme", slug: "acme", plan: "business", by: root)
            let organization = acme.record.id
            _ = try await gateway.putCredentials(Self.sandboxCredentials(), in: organization, by: root)
            let admin = try await gateway.createUser(
                in: organization, email: "admin@acme.co", passwordHash: "h", role: .orgAdmin, by: root)
            let token = try await api.accessTokens.issue(
                user: admin.id, principal: try Principal(role: .orgAdmin, organizationID: organization)
            ).token

            // A push of 300 KES, settled with a receipt by the sandbox's callback.
            let push = try await gateway.stkPush(
                STKPushParameters(phone: "0708374149", amount: 300, accountReference: "INV-1", description: "Order 1"),
                in: organization, idempotency: nil, by: root)
            let path = "/callbacks/acme/\(acme.callbackToken ?? "")/stk"
            let delivery = try #require(
                await services.recorder.waitForDeliveries(to: path, count: 1, timeoutMs: 10_000).first)
            _ = try await gateway.receiveCallback(
                slug: "acme", token: acme.callbackToken ?? "", kind: .stk, body: Array(delivery.body))
            let paid = try await gateway.payment(push.payment.id, in: organization, by: root)
            #expect(paid.status == .succeeded)
            let receipt = try #require(paid.mpesaReceipt)

            let app = Application(router: api.buildRouter(), logger: logger)
            try await app.test(.router) { client in
                func reverse(shillings: Int) async throws -> TestResponse {
                    try await client.execute(
                        uri: "/v1/reversals", method: .post,
                        headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                        body: ByteBuffer(
                            string: #"{"mpesa_receipt":"\#(receipt)","amount":\#(shillings),"remarks":"Refund"}"#))
                }
                let tooMuch = try await reverse(shillings: 301)
                #expect(tooMuch.status.code == 422)
                #expect(try ErrorBody.decode(tooMuch).param == "amount")
                let exact = try await reverse(shillings: 300)
                #expect((200..<300).contains(exact.status.code), "\(exact.status): \(String(buffer: exact.body))")
                let answer =
                    try JSONSerialization.jsonObject(with: Data(exact.body.readableBytesView)) as? [String: Any]
                #expect(answer?["type"] as? String == "reversal")
                #expect(answer?["original_payment_id"] as? String == push.payment.id.rawValue)
            }
            await gateway.close()
        }
    }

    static func sandboxCredentials() -> MpesaCredentialsInput {
        var input = MpesaCredentialsInput()
        input.environment = "sandbox"
        input.consumerKey = "demo-consumer-key"
        input.consumerSecret = "demo-consumer-secret"
        input.businessShortCode = "174379"
        input.passkey = SandboxConfiguration.publicSandboxPasskey
        input.initiatorName = SandboxConfiguration.publicSandboxInitiator
        input.initiatorPassword = SandboxConfiguration.publicSandboxInitiatorPassword
        return input
    }
}
