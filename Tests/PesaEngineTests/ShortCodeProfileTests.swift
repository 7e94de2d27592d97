import DarajaSandbox
import Foundation
import PesaCore
import PesaStore
import Testing

@testable import PesaEngine

/// Short-code profiles in the engine: validation naming every missing field, what never changes, defaults per
/// kind, deletion refused while money is moving, the credential set kept for compatibility, production short
/// codes held by one organization, and the vault's secrets per profile and version.
@Suite struct ShortCodeProfileTests {
    static func input(_ kind: String, _ number: String, environment: String = "sandbox") -> ShortCodeInput {
        var input = ShortCodeInput()
        input.environment = environment
        input.shortCode = number
        input.kind = kind
        input.consumerKey = "key-\(number)"
        input.consumerSecret = "secret-\(number)-long-enough"
        switch kind {
        case "b2c":
            input.initiatorName = "testapi"
            input.initiatorPassword = SandboxConfiguration.publicSandboxInitiatorPassword
        case "till":
            input.passkey = SandboxConfiguration.publicSandboxPasskey
            input.tillNumber = String(Int(number).map { $0 + 1 } ?? 0)
        default:
            input.passkey = SandboxConfiguration.publicSandboxPasskey
        }
        return input
    }

    @Test func everyMissingFieldIsNamedAndWhatNeverChangesIsRefused() async throws {
        try await PaymentsHarness.run { harness in
            let (gateway, org, admin) = (harness.gateway, harness.organization, harness.admin)
            var empty = ShortCodeInput()
            empty.kind = "till"
            let missing = await #expect(throws: EngineError.self) {
                try await gateway.createShortCode(empty, in: org, by: admin)
            }
            #expect(missing?.param == "environment")
            #expect(
                missing?.message
                    == "missing required fields: environment, short_code, consumer_key, consumer_secret, passkey, "
                    + "till_number")
            var halfInitiator = Self.input("paybill", "600300")
            halfInitiator.initiatorName = "api"
            let half = await #expect(throws: EngineError.self) {
                try await gateway.createShortCode(halfInitiator, in: org, by: admin)
            }
            #expect(half?.param == "initiator_password")
            var badKind = Self.input("paybill", "600300")
            badKind.kind = "wallet"
            #expect(
                await #expect(throws: EngineError.self) {
                    try await gateway.createShortCode(badKind, in: org, by: admin)
                }?
                    .param == "kind")
            var tillOnPaybill = Self.input("paybill", "600300")
            tillOnPaybill.tillNumber = "600301"
            #expect(
                await #expect(throws: EngineError.self) {
                    try await gateway.createShortCode(tillOnPaybill, in: org, by: admin)
                }?.param == "till_number")
            let taken = await #expect(throws: EngineError.self) {
                try await gateway.createShortCode(Self.input("till", "174379"), in: org, by: admin)
            }
            #expect(taken?.code == .conflict)

            let till = try await gateway.createShortCode(Self.input("till", "600300"), in: org, by: admin)
            #expect(till.isDefault)  // the first till
            #expect(till.version == 1)
            for (field, value) in [("environment", "production"), ("short_code", "600399"), ("kind", "paybill")] {
                var change = ShortCodeInput()
                switch field {
                case "environment": change.environment = value
                case "short_code": change.shortCode = value
                default: change.kind = value
                }
                let refused = await #expect(throws: EngineError.self) {
                    try await gateway.updateShortCode(till.id, change, in: org, by: admin)
                }
                #expect(refused?.param == field)
            }
            var relabel = ShortCodeInput()
            relabel.label = "Canteen"
            let relabelled = try await gateway.updateShortCode(till.id, relabel, in: org, by: admin)
            #expect(relabelled.label == "Canteen")
            #expect(relabelled.version == 1)  // no secret named: the same secrets
            var rekey = ShortCodeInput()
            rekey.consumerSecret = "another-secret-long-enough"
            let rekeyed = try await gateway.updateShortCode(till.id, rekey, in: org, by: admin)
            #expect(rekeyed.version == 2)
            #expect(rekeyed.hints["consumer_secret"] == "****ough")
            #expect(rekeyed.hints["passkey"] == relabelled.hints["passkey"])
            let manager = EngineHarness.member(.manager, of: org)
            #expect(
                await #expect(throws: EngineError.self) {
                    try await gateway.updateShortCode(till.id, relabel, in: org, by: manager)
                }?.code == .forbidden)
            #expect(try await gateway.shortCodes(in: org, includeDeleted: false, by: manager).count == 2)
        }
    }

    @Test func defaultsArePerKindAndARequestNamesAnyProfileOfItsOwn() async throws {
        try await PaymentsHarness.run { harness in
            let (gateway, org, admin) = (harness.gateway, harness.organization, harness.admin)
            let second = try await gateway.createShortCode(Self.input("paybill", "600400"), in: org, by: admin)
            #expect(!second.isDefault)  // 174379 is the default paybill
            var makeDefault = ShortCodeInput()
            makeDefault.isDefault = true
            _ = try await gateway.updateShortCode(second.id, makeDefault, in: org, by: admin)
            let all = try await gateway.shortCodes(in: org, includeDeleted: false, by: admin)
            #expect(all.filter(\.isDefault).map(\.shortCode) == ["600400"])
            let record = try await gateway.engine(org).read { (state) throws(EngineError) in
                try Gateway.shortCodeRecord(in: state, named: nil, use: .stkPush, field: "short_code")
            }
            #expect(record.shortCode == "600400")
            for name in ["174379", all.first { $0.shortCode == "174379" }?.id.rawValue ?? ""] {
                let named = try await gateway.engine(org).read { (state) throws(EngineError) in
                    try Gateway.shortCodeRecord(in: state, named: name, use: .stkPush, field: "short_code")
                }
                #expect(named.shortCode == "174379")
            }
            let unknown = await #expect(throws: EngineError.self) {
                try await gateway.engine(org).read { (state) throws(EngineError) in
                    try Gateway.shortCodeRecord(in: state, named: "999999", use: .payout, field: "short_code")
                }
            }
            #expect(unknown?.param == "short_code")
            // No B2C short code, and the default paybill holds no initiator: a payout must name one that does.
            let noInitiator = await #expect(throws: EngineError.self) { try await harness.payout("254708374149") }
            #expect(noInitiator?.code == .credentialsMissing)
            let payout = try await gateway.payout(
                PayoutParameters(
                    phone: "254708374149", amount: 100, command: "business_payment", remarks: "Salary", occasion: nil,
                    shortCode: "174379"),
                in: org, idempotency: nil, by: admin)
            #expect(payout.payment.shortCode == "174379")
        }
    }

    @Test func aProfileWithMoneyPendingIsNotDeletedAndADeletedOneStaysReadable() async throws {
        try await PaymentsHarness.run { harness in
            let (gateway, org, admin) = (harness.gateway, harness.organization, harness.admin)
            let paybill = try #require(try await gateway.shortCodes(in: org, includeDeleted: false, by: admin).first)
            let pending = try await harness.push("254700000009")  // its callback never comes
            #expect(pending.payment.status == .pending)
            #expect(pending.payment.shortCodeID == paybill.id)
            let refused = await #expect(throws: EngineError.self) {
                try await gateway.deleteShortCode(paybill.id, in: org, by: admin)
            }
            #expect(refused?.code == .conflict)
            #expect(refused?.message.contains("1 payment still pending") == true)
            // Settled, it may go; its payment keeps naming it.
            let engine = try await gateway.engine(org)
            try await engine.execute { (_, _) throws(EngineError) in
                Decision(events: [.paymentSettled(.init(
                    paymentID: pending.payment.id, resultCode: ResultCode(1032), resultDesc: "Cancelled",
                    source: .operator))], value: ())
            }
            try await gateway.deleteShortCode(paybill.id, in: org, by: admin)
            #expect(try await harness.payment(pending.payment.id).shortCode == "174379")
            #expect(try await gateway.shortCode(paybill.id, in: org, by: admin).isDeleted)
            #expect(try await gateway.shortCodes(in: org, includeDeleted: false, by: admin).isEmpty)
            let noDefault = await #expect(throws: EngineError.self) { try await harness.push("254708374141") }
            #expect(noDefault?.code == .credentialsMissing)
            // Its secrets leave the vault at the next change.
            _ = try await gateway.createShortCode(Self.input("b2c", "600500"), in: org, by: admin)
            let secrets = try await gateway.vaultSecrets(engine)
            #expect(!secrets.contains { $0.shortCodeID == paybill.id })
            #expect(secrets.map(\.version) == [1])
        }
    }

    @Test func aProductionShortCodeBelongsToOneOrganizationOfTheInstance() async throws {
        try await PaymentsHarness.run { harness in
            let gateway = harness.gateway
            let other = try await gateway.createOrganization(
                name: "Globex", slug: "globex", plan: "starter", by: EngineHarness.superAdmin
            ).record.id
            let otherAdmin = EngineHarness.member(.orgAdmin, of: other)
            let mine = try await gateway.createShortCode(
                Self.input("paybill", "700700", environment: "production"), in: harness.organization,
                by: harness.admin)
            let refused = await #expect(throws: EngineError.self) {
                try await gateway.createShortCode(
                    Self.input("paybill", "700700", environment: "production"), in: other, by: otherAdmin)
            }
            #expect(refused?.code == .conflict)
            #expect(refused?.message.contains(harness.organization.rawValue) == false)
            #expect(refused?.message.contains("acme") == false)
            // The same number in the sandbox is anyone's.
            _ = try await gateway.createShortCode(Self.input("paybill", "700700"), in: other, by: otherAdmin)
            // A refused save releases what it claimed: a production till with a clashing till number.
            var clash = Self.input("till", "700800", environment: "production")
            clash.tillNumber = "700700"
            #expect(
                await #expect(throws: EngineError.self) {
                    try await gateway.createShortCode(clash, in: other, by: otherAdmin)
                }?.code == .conflict)
            #expect(try await gateway.system.read { state in state.shortCodeClaims["700800"] } == nil)
            // Deleted, the number is free for the other organization.
            try await gateway.deleteShortCode(mine.id, in: harness.organization, by: harness.admin)
            var retry = Self.input("b2c", "700700", environment: "production")
            retry.label = "Payouts"
            let sandboxTwin = try await gateway.shortCodes(in: other, includeDeleted: false, by: otherAdmin)
            try await gateway.deleteShortCode(try #require(sandboxTwin.first { $0.shortCode == "700700" }).id,
                in: other, by: otherAdmin)
            let taken = try await gateway.createShortCode(retry, in: other, by: otherAdmin)
            #expect(taken.environment == "production")
            #expect(try await gateway.system.read { state in state.shortCodeClaims["700700"] } == other)
        }
    }

    @Test func theCredentialSetReadsAndWritesTheDefaultProfiles() async throws {
        try await PaymentsHarness.run { harness in
            let (gateway, org, admin) = (harness.gateway, harness.organization, harness.admin)
            var set = PaymentsHarness.sandboxCredentials()
            set.b2cShortCode = "600000"
            let view = try await gateway.putCredentials(set, in: org, by: admin)
            #expect(view.businessShortCode == "174379")
            #expect(view.hints["b2c_short_code"] == "600000")
            var profiles = try await gateway.shortCodes(in: org, includeDeleted: false, by: admin)
            #expect(profiles.map(\.shortCode).sorted() == ["174379", "600000"])
            #expect(profiles.allSatisfy { $0.isDefault })
            #expect(profiles.first { $0.shortCode == "174379" }?.version == 2)  // updated, not made again
            // Without b2c_short_code, payouts go from the collecting short code again.
            set.b2cShortCode = nil
            set.transactionType = "buy_goods"
            set.tillNumber = "174380"
            let buyGoods = try await gateway.putCredentials(set, in: org, by: admin)
            #expect(buyGoods.hints["transaction_type"] == "buy_goods")
            #expect(buyGoods.hints["b2c_short_code"] == nil)
            profiles = try await gateway.shortCodes(in: org, includeDeleted: true, by: admin)
            // 174379 became a till: the paybill profile gave way (deleted, readable), a till took the number.
            #expect(profiles.first { $0.kind == .paybill }?.isDeleted == true)
            #expect(profiles.first { $0.kind == .till && !$0.isDeleted }?.tillNumber == "174380")
            #expect(profiles.first { $0.kind == .b2c }?.isDefault == false)
            let payout = try await harness.payout("254708374149")
            #expect(payout.payment.shortCode == "174379")
        }
    }
}
