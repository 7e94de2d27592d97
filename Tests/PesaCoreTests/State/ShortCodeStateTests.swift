import Testing

@testable import PesaCore

/// Short-code profiles in the tenant state: a credential set journaled before profiles reads as its profiles,
/// payments journaled then take the profile in force, and a snapshot of the format before profiles reads as the
/// same state a replay makes.
@Suite struct ShortCodeStateTests {
    static func credentials(
        _ version: Int64, shortCode: String = "174379", type: String = "paybill", b2c: String? = nil
    ) -> TenantEvent {
        var hints = [
            "consumer_key": "****key1", "consumer_secret": "****sec1", "passkey": "****pass", "initiator_name": "api",
            "initiator_password": "********", "business_short_code": shortCode, "transaction_type": type,
        ]
        if type == "buy_goods" { hints["till_number"] = "654321" }
        if let b2c { hints["b2c_short_code"] = b2c }
        return .credentialsUpdated(.init(
            version: version, environment: "sandbox", businessShortCode: shortCode, hints: hints))
    }

    func replayed(_ events: [TenantEvent]) throws -> TenantState {
        var state = TenantState()
        try state.applyAll([Fixtures.organizationCreated] + events)
        return state
    }

    @Test func aCredentialSetFromBeforeProfilesReadsAsItsProfiles() throws {
        let paybill = ShortCodeID.legacy(kind: .paybill, shortCode: "174379")
        let b2c = ShortCodeID.legacy(kind: .b2c, shortCode: "600000")
        #expect(paybill.rawValue == "sc_00040000000000000000005a9b")
        #expect(paybill.isLegacy && b2c.isLegacy)
        #expect(!ShortCodeID(randomBytes: Fixtures.bytes(3)).isLegacy)
        var state = try replayed([Self.credentials(1, b2c: "600000"), Fixtures.stk(1)])
        #expect(state.activeShortCodes.map(\.id).sorted() == [paybill, b2c].sorted())
        #expect(state.defaultShortCode(.paybill)?.id == paybill)
        #expect(state.defaultShortCode(.b2c)?.id == b2c)
        #expect(state.shortCodes[paybill]?.hints["consumer_secret"] == "****sec1")
        #expect(state.shortCodes[b2c]?.hints["passkey"] == nil)  // a B2C short code collects nothing
        #expect(state.payments[Fixtures.paymentID(1)]?.shortCode == "174379")
        // An older version again is refused, as before profiles.
        #expect(throws: PesaCoreError.self) { try state.applyAll([Self.credentials(1)]) }

        // Buy goods on the same number: the paybill gives way to a till; without a B2C short code, none is the
        // B2C default any more. Back to paybill: the paybill profile comes back.
        try state.applyAll([Self.credentials(2, type: "buy_goods")])
        let till = ShortCodeID.legacy(kind: .till, shortCode: "174379")
        #expect(state.activeShortCodes.map(\.id) == [till])
        #expect(state.shortCodes[paybill]?.isDeleted == true)
        #expect(state.shortCodes[till]?.tillNumber == "654321")
        #expect(state.defaultShortCode(.b2c) == nil)
        #expect(state.defaultShortCode(for: .b2c)?.id == till)  // it holds an initiator
        try state.applyAll([Self.credentials(3)])
        #expect(state.activeShortCodes.map(\.id) == [paybill])
        #expect(state.shortCodes[paybill]?.isDefault == true)
        #expect(state.shortCodes[paybill]?.version == 3)
        #expect(state.payments[Fixtures.paymentID(1)]?.shortCodeID == paybill)
    }

    @Test func aSnapshotFromBeforeProfilesReadsAsTheStateAReplayMakes() throws {
        let events = [Self.credentials(1, b2c: "600000"), Fixtures.stk(1), Fixtures.accepted(1), Fixtures.settled(1)]
        let state = try replayed(events)
        for format in [1, 6] {
            let old = try TenantState(
                snapshotPayload: state.snapshotPayload(formatVersion: format), formatVersion: format)
            #expect(old.shortCodes == state.shortCodes, "format \(format)")
            #expect(
                old.payments[Fixtures.paymentID(1)]?.shortCodeID == state.payments[Fixtures.paymentID(1)]?.shortCodeID)
            #expect(old.payments[Fixtures.paymentID(1)]?.shortCode == "174379")
        }
        let current = try TenantState(
            snapshotPayload: state.snapshotPayload(), formatVersion: TenantState.snapshotFormatVersion)
        #expect(current == state)
    }

    @Test func profilesKeepTheirNumberKindAndEnvironmentAndOneNumberBelongsToOneProfile() throws {
        let id = ShortCodeID(randomBytes: Fixtures.bytes(5, tag: 9))
        let saved = TenantEvent.ShortCodeSaved(
            shortCodeID: id, version: 1, label: "Canteen", environment: "sandbox", shortCode: "600100", kind: .till,
            tillNumber: "600101", isDefault: true, hints: ["passkey": "****abcd"])
        var state = try replayed([.shortCodeSaved(saved)])
        #expect(state.activeShortCode(named: "600101")?.id == id)  // a till by its till number too
        #expect(state.activeShortCode(named: id.rawValue)?.id == id)
        var moved = saved
        moved.shortCode = "600199"
        #expect(throws: PesaCoreError.self) { try state.applyAll([.shortCodeSaved(moved)]) }
        var older = saved
        older.version = 0
        #expect(throws: PesaCoreError.self) { try state.applyAll([.shortCodeSaved(older)]) }
        var twin = saved
        twin.shortCodeID = ShortCodeID(randomBytes: Fixtures.bytes(6, tag: 9))
        twin.shortCode = "600101"
        twin.tillNumber = nil
        twin.kind = .paybill
        #expect(throws: PesaCoreError.self) { try state.applyAll([.shortCodeSaved(twin)]) }
        try state.applyAll([.shortCodeDeleted(.init(shortCodeID: id))])
        #expect(state.activeShortCode(named: "600100") == nil)
        #expect(state.shortCodes[id]?.isDefault == false)
        #expect(throws: PesaCoreError.self) { try state.applyAll([.shortCodeSaved(saved)]) }  // deleted stays so
        try state.applyAll([.shortCodeSaved(twin)])  // the number is free again
        #expect(state.activeShortCode(named: "600101")?.id == twin.shortCodeID)
    }
}
