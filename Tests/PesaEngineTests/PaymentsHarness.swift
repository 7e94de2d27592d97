import AsyncHTTPClient
import DarajaSandbox
import Foundation
import Logging
import PesaCore
import PesaStore
import PesaTesting
import ServiceLifecycle
import Testing

@testable import PesaEngine

/// A gateway on a simulated disk whose Daraja is an embedded sandbox on loopback; the sandbox's callbacks
/// land in a recorder (the gateway's public URL), from where a test hands them to the gateway.
struct PaymentsHarness {
    let gateway: Gateway
    let recorder: CallbackRecorder
    let organization: OrganizationID
    let slug: String
    let admin: Actor

    static func run(
        reconcileAfterMs: Int64 = 60_000, reconcileAttemptsMax: Int = 20, lostPushAnswerWaitMs: Int64 = 0,
        sandbox: SandboxConfiguration = SandboxServices.testing,
        clock: any WallClock = SystemWallClock(), _ body: (PaymentsHarness) async throws -> Void
    ) async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        try await SandboxServices.run(sandbox, logLevel: .critical) { services in
            let upstream = UpstreamClients(httpClient: services.httpClient, logger: logger)
            upstream.setSandboxBaseURL(services.baseURL)
            try upstream.setCertificate(pem: services.sandbox.certificatePEM, for: "sandbox")
            var payments = PaymentSettings(
                publicURL: services.callbackBase, reconcileAfterMs: reconcileAfterMs,
                reconcileAttemptsMax: reconcileAttemptsMax, lostPushAnswerWaitMs: lostPushAnswerWaitMs)
            payments.allowPrivateWebhooks = true  // the webhook receivers of the tests listen on loopback
            let gateway = try await Gateway.start(
                data: DataDirectory(root: "/data", io: SimulatedFileIO(seed: 9)), masterKey: .generate(), clock: clock,
                payments: payments, upstream: upstream, logger: logger)
            let org = try await gateway.createOrganization(
                name: "Acme", slug: "acme", plan: "starter", by: EngineHarness.superAdmin)
            let admin = EngineHarness.member(.orgAdmin, of: org.record.id)
            _ = try await gateway.putCredentials(Self.sandboxCredentials(), in: org.record.id, by: admin)
            try await body(PaymentsHarness(
                gateway: gateway, recorder: services.recorder, organization: org.record.id, slug: "acme", admin: admin))
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

    func push(_ phone: String, amount: Int64 = 10, idempotency: IdempotencyInput? = nil) async throws -> PaymentAnswer {
        try await gateway.stkPush(
            STKPushParameters(phone: phone, amount: amount, accountReference: "INV-1", description: "Order 1"),
            in: organization, idempotency: idempotency, by: admin)
    }

    /// The first `count` callbacks of `kind` the sandbox sent for this organization, handed to the gateway in
    /// order (the recorder keeps every delivery, so asking again hands the same ones again: duplicates).
    func deliverCallbacks(_ kind: CallbackKind = .stk, count: Int) async throws -> [CallbackAnswer] {
        let token = try await gateway.organization(organization, by: admin).openedToken
        let path = "/callbacks/\(slug)/\(token)/\(kind.rawValue)"
        let deliveries = await recorder.waitForDeliveries(to: path, count: count, timeoutMs: 10_000)
        var answers: [CallbackAnswer] = []
        for delivery in deliveries.prefix(count) {
            answers.append(try await gateway.receiveCallback(
                slug: slug, token: token, kind: kind, body: Array(delivery.body)))
        }
        return answers
    }

    func payout(_ phone: String, amount: Int64 = 100, command: String = "business_payment",
                idempotency: IdempotencyInput? = nil) async throws -> PaymentAnswer {
        try await gateway.payout(
            PayoutParameters(phone: phone, amount: amount, command: command, remarks: "Salary", occasion: nil),
            in: organization, idempotency: idempotency, by: admin)
    }

    func payment(_ id: PaymentID) async throws -> Payment {
        try await gateway.payment(id, in: organization, by: admin)
    }

    /// A push of 20 KES settled by its callback, and a transaction-status query about its receipt.
    func statusQueryAboutAPaidPush() async throws -> (push: PaymentAnswer, receipt: String, query: QueryRecord) {
        let push = try await push("254708374149", amount: 20)
        _ = try await deliverCallbacks(count: 1)
        let receipt = try #require(try await payment(push.payment.id).mpesaReceipt)
        let query = try await gateway.transactionStatus(
            TransactionStatusParameters(mpesaReceipt: receipt, paymentID: nil), in: organization, by: admin)
        return (push, receipt, query)
    }
}

extension OrganizationView {
    /// The current callback token in clear ("" when it cannot be opened, which the tests that expect it check).
    var openedToken: String { callbackToken ?? "" }
}
