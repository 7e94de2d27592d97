import PesaCore
import PesaStore
import Testing

@testable import PesaEngine

/// Test keys (`pk_test_`) only reach sandbox credentials and live keys (`pk_live_`) only production ones:
/// anything else is refused before Daraja hears of it, and nothing is journaled.
@Suite struct KeyEnvironmentTests {
    static func key(_ environment: String, _ harness: PaymentsHarness, role: Role = .orgAdmin) -> Actor {
        Actor(
            principal: EngineHarness.member(role, of: harness.organization).principal, id: "key_\(environment)",
            requestID: "req_key", keyEnvironment: environment)
    }

    @Test func aLiveKeyWithSandboxCredentialsIsRefusedBeforeDarajaAndNothingIsJournaled() async throws {
        try await PaymentsHarness.run { harness in
            let engine = try await harness.gateway.engine(harness.organization)
            let before = engine.store.journal.head
            let live = Self.key("production", harness)
            let push = await #expect(throws: EngineError.self) {
                try await harness.gateway.stkPush(
                    STKPushParameters(phone: "254708374149", amount: 10, accountReference: "A", description: "D"),
                    in: harness.organization, idempotency: nil, by: live)
            }
            #expect(push?.code == .keyEnvironmentMismatch)
            #expect(push?.message.contains("pk_live_") == true)
            let payout = await #expect(throws: EngineError.self) {
                try await harness.gateway.payout(
                    PayoutParameters(phone: "254708374149", amount: 100, command: "business_payment", remarks: "Pay",
                                     occasion: nil),
                    in: harness.organization, idempotency: nil, by: live)
            }
            #expect(payout?.code == .keyEnvironmentMismatch)
            let balance = await #expect(throws: EngineError.self) {
                try await harness.gateway.balanceCheck(in: harness.organization, by: live)
            }
            #expect(balance?.code == .keyEnvironmentMismatch)
            let register = await #expect(throws: EngineError.self) {
                try await harness.gateway.registerC2BURLs(responseType: nil, in: harness.organization, by: live)
            }
            #expect(register?.code == .keyEnvironmentMismatch)
            #expect(engine.store.journal.head == before)
            // A test key, and a login, go through.
            let test = try await harness.gateway.stkPush(
                STKPushParameters(phone: "254708374149", amount: 10, accountReference: "A", description: "D"),
                in: harness.organization, idempotency: nil, by: Self.key("sandbox", harness))
            #expect(test.payment.status == .pending)
            _ = try await harness.gateway.balanceCheck(in: harness.organization, by: harness.admin)
        }
    }

    @Test func aTestKeyWithProductionCredentialsIsRefused() throws {
        let actor = Actor(
            principal: try Principal(
                role: .manager, organizationID: OrganizationID(randomBytes: Array(repeating: 5, count: 16))),
            id: "key_t", requestID: "req", keyEnvironment: "sandbox")
        let error = #expect(throws: EngineError.self) {
            try actor.requireEnvironment("production", shortCode: "600000")
        }
        #expect(error?.code == .keyEnvironmentMismatch)
        #expect(error?.message.contains("pk_test_") == true)
        let live = Actor(principal: actor.principal, id: "key_l", requestID: "req", keyEnvironment: "production")
        #expect(throws: Never.self) { try live.requireEnvironment("production", shortCode: "600000") }
        let login = Actor(principal: actor.principal, id: "usr_1", requestID: "req")
        #expect(throws: Never.self) { try login.requireEnvironment("production", shortCode: "600000") }
    }
}
