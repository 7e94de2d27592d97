import PesaCore
import PesaStore
import Testing

@testable import PesaEngine

/// What an organization may not do or see: a disabled one gets no new users or API keys (it still logs in and
/// reads), and no organization asks Daraja about a receipt another organization of the instance holds.
@Suite struct SmallerLeaksTests {
    @Test func aDisabledOrganizationReadsButGetsNoNewUsersOrAPIKeys() async throws {
        let harness = try await EngineHarness.start()
        let acme = try await harness.makeOrganization("acme")
        let admin = EngineHarness.member(.orgAdmin, of: acme)
        var disable = OrganizationChanges()
        disable.status = .disabled
        _ = try await harness.gateway.updateOrganization(acme, disable, by: EngineHarness.superAdmin)
        let user = await #expect(throws: EngineError.self) {
            try await harness.gateway.createUser(
                in: acme, email: "new@acme.co.ke", passwordHash: "h", role: .user, by: admin)
        }
        #expect(user?.code == .forbidden)
        #expect(user?.message.contains("disabled") == true)
        let key = await #expect(throws: EngineError.self) {
            try await harness.gateway.createAPIKey(
                in: acme, name: "backend", role: .manager, environment: "sandbox", keyHash: "ab12", keyHint: "…",
                by: EngineHarness.superAdmin)
        }
        #expect(key?.code == .forbidden)
        #expect(try await harness.gateway.users(in: acme, by: admin).isEmpty)
        var enable = OrganizationChanges()
        enable.status = .active
        _ = try await harness.gateway.updateOrganization(acme, enable, by: EngineHarness.superAdmin)
        _ = try await harness.gateway.createUser(
            in: acme, email: "new@acme.co.ke", passwordHash: "h", role: .user, by: admin)
    }

    @Test func aStatusQueryByAnotherOrganizationsReceiptIsRefusedLikeAReversal() async throws {
        try await PaymentsHarness.run { harness in
            let push = try await harness.push("254708374149", amount: 10)
            _ = try await harness.deliverCallbacks(count: 1)
            let receipt = try #require(try await harness.payment(push.payment.id).mpesaReceipt)
            let other = try await harness.gateway.createOrganization(
                name: "Other", slug: "other", plan: "starter", by: EngineHarness.superAdmin)
            let otherAdmin = EngineHarness.member(.orgAdmin, of: other.record.id)
            _ = try await harness.gateway.putCredentials(
                PaymentsHarness.sandboxCredentials(), in: other.record.id, by: otherAdmin)
            let refused = await #expect(throws: EngineError.self) {
                try await harness.gateway.transactionStatus(
                    TransactionStatusParameters(mpesaReceipt: receipt, paymentID: nil), in: other.record.id,
                    by: otherAdmin)
            }
            #expect(refused?.code == .notFound)
            // A receipt no organization holds (a C2B payment whose confirmation was lost) may be asked about.
            let unknown = try await harness.gateway.transactionStatus(
                TransactionStatusParameters(mpesaReceipt: "TLZ9999999", paymentID: nil), in: other.record.id,
                by: otherAdmin)
            #expect(unknown.paymentID == nil)
            // The holder itself still may.
            _ = try await harness.gateway.transactionStatus(
                TransactionStatusParameters(mpesaReceipt: receipt, paymentID: nil), in: harness.organization,
                by: harness.admin)
        }
    }
}
