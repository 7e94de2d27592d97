import Foundation
import PesaCore
import PesaTesting
import Testing

@testable import PesaEngine

/// `simulateC2B`: the organization's C2B URLs are registered, the sandbox makes the customer pay, and the
/// confirmation comes to the organization's URL and becomes a `c2b` payment; production credentials are refused.
@Suite struct C2BSimulateTests {
    @Test func aSimulatedPaymentIsConfirmedToTheOrganizationsURL() async throws {
        try await PaymentsHarness.run { harness in
            let manager = EngineHarness.member(.manager, of: harness.organization)
            let simulation = try await harness.gateway.simulateC2B(
                amount: 75, phone: "0708374149", accountReference: "INV-7", in: harness.organization, by: manager)
            #expect(simulation.shortCode == "174379")
            #expect(simulation.phone == "254708374149")
            #expect(simulation.registration.confirmationURL.contains("/callbacks/acme/"))
            let answers = try await harness.deliverCallbacks(.c2bConfirmation, count: 1)
            #expect(answers == [.accepted])
            let c2b = try await harness.gateway.engine(harness.organization).read { state in
                (0..<state.payments.count).map { state.payments.payment(at: $0) }.filter { $0.type == .c2b }
                    .map { ($0.amount, $0.accountReference) }
            }
            #expect(c2b.count == 1)
            #expect(c2b.first?.0 == Amount(shillings: 75))
            #expect(c2b.first?.1 == "INV-7")
        }
    }

    @Test func badInputAndRolesBelowManagerAreRefusedBeforeDarajaIsCalled() async throws {
        try await PaymentsHarness.run { harness in
            let manager = EngineHarness.member(.manager, of: harness.organization)
            for (amount, phone, reference, param) in [
                (Int64(0), "0708374149", "INV-1", "amount"), (10, "12345", "INV-1", "phone"),
                (10, "0708374149", "", "account_reference"),
            ] {
                let refused = await #expect(throws: EngineError.self) {
                    try await harness.gateway.simulateC2B(
                        amount: amount, phone: phone, accountReference: reference, in: harness.organization,
                        by: manager)
                }
                #expect(refused?.param == param)
            }
            let user = EngineHarness.member(.user, of: harness.organization)
            let forbidden = await #expect(throws: EngineError.self) {
                try await harness.gateway.simulateC2B(
                    amount: 10, phone: "0708374149", accountReference: "INV-1", in: harness.organization, by: user)
            }
            #expect(forbidden?.code == .forbidden)
        }
    }

    @Test func productionCredentialsAreRefusedAsSandboxOnly() async throws {
        try await PaymentsHarness.run { harness in
            var production = PaymentsHarness.sandboxCredentials()
            production.environment = "production"
            _ = try await harness.gateway.putCredentials(production, in: harness.organization, by: harness.admin)
            let refused = await #expect(throws: EngineError.self) {
                try await harness.gateway.simulateC2B(
                    amount: 10, phone: "0708374149", accountReference: "INV-1", in: harness.organization,
                    by: harness.admin)
            }
            #expect(refused?.code == .sandboxOnly)
            #expect(refused?.message.contains("production") == true)
        }
    }
}
