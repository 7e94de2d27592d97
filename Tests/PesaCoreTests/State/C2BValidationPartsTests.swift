@testable import PesaCore
import Testing

/// A C2B validation list too long for one journal line: written in parts in one commit, in force once whole,
/// and a commit torn at a crash leaves the rule before it.
@Suite struct C2BValidationPartsTests {
    /// The longest list there may be, of the longest references, some of them two bytes a character.
    static let longest = (0..<Limits.c2bAccountReferencesCountMax).map { index in
        let stem = "é\(index)-"
        return stem + String(repeating: "x", count: Limits.c2bAccountReferenceCharactersMax - stem.count)
    }

    static let audit = TenantEvent.auditRecorded(
        .init(actor: "usr_x", action: "c2b.validation_set", target: "org_y", requestID: "req_z"))

    static func state(after events: [TenantEvent], from first: TenantState? = nil) throws -> TenantState {
        var state = first ?? TenantState()
        if first == nil { try state.applyAll([Fixtures.organizationCreated]) }
        for event in events { try state.apply(event, seq: state.lastSeq + 1, atMs: 1_700_000_000_000) }
        return state
    }

    @Test func aShortListIsOneLineAsBefore() throws {
        let events = TenantEvent.c2bValidation(rejectUnknown: true, accountReferences: ["INV-1", "acc 2"])
        #expect(events == [.c2bValidationSet(.init(rejectUnknown: true, accountReferences: ["INV-1", "acc 2"]))])
        let state = try Self.state(after: events)
        #expect(state.c2bValidation?.accountReferences == ["INV-1", "ACC2"])
        #expect(state.c2bValidationPending == nil)
    }

    @Test func theLongestListTakesPartsThatEachFitALineAndComesBackWhole() throws {
        let events = TenantEvent.c2bValidation(rejectUnknown: true, accountReferences: Self.longest)
        #expect(events.count > 10)
        guard case .c2bValidationSet(let first) = events.first else {
            Issue.record("the first line is not a c2b.validation_set")
            return
        }
        #expect(first.referenceCount == Self.longest.count)
        var listed: [String] = first.accountReferences
        for event in events {
            #expect(event.canonicalData().count <= Limits.c2bValidationPartBytesMax + 200, "\(event.type)")
            if case .c2bValidationReferencesAdded(let part) = event { listed += part.accountReferences }
        }
        #expect(listed == Self.longest)
        let state = try Self.state(after: events + [Self.audit])
        #expect(state.c2bValidationPending == nil)
        #expect(state.c2bValidation?.rejectUnknown == true)
        #expect(state.c2bValidation?.accountReferences.count == Self.longest.count)
        #expect(state.c2bValidation?.accepts(accountReference: Self.longest[9_999].uppercased()) == true)
        // A snapshot holds the rule, not how it was written.
        let restored = try TenantState(
            snapshotPayload: state.snapshotPayload(), formatVersion: TenantState.snapshotFormatVersion)
        #expect(restored == state)
    }

    @Test func aTornListLeavesTheRuleBeforeItAndTheNextEventDropsIt() throws {
        let before = try Self.state(after: TenantEvent.c2bValidation(rejectUnknown: true, accountReferences: ["A1"]))
        let events = TenantEvent.c2bValidation(rejectUnknown: true, accountReferences: Self.longest)
        // Only the first lines of the commit reached the disk.
        var torn = try Self.state(after: Array(events.prefix(3)), from: before)
        #expect(torn.c2bValidation == before.c2bValidation)
        #expect(torn.c2bValidationPending?.isComplete == false)
        #expect(torn.c2bValidation?.accepts(accountReference: Self.longest[0]) == false)
        // A snapshot there holds the rule before; so does the state once the next commit begins.
        let restored = try TenantState(
            snapshotPayload: torn.snapshotPayload(), formatVersion: TenantState.snapshotFormatVersion)
        #expect(restored.c2bValidation == before.c2bValidation && restored.c2bValidationPending == nil)
        try torn.apply(Self.audit, seq: torn.lastSeq + 1, atMs: 1_700_000_000_001)
        #expect(torn.c2bValidationPending == nil)
        #expect(torn.c2bValidation == before.c2bValidation)
        // A part with no list being written is refused (the engine never writes one).
        #expect(throws: PesaCoreError.self) {
            try torn.apply(events[1], seq: torn.lastSeq + 1, atMs: 1_700_000_000_002)
        }
    }

    @Test func partsBeyondTheAnnouncedLengthOrBadCountsAreRefused() throws {
        let announced = TenantEvent.c2bValidationSet(
            .init(rejectUnknown: true, accountReferences: ["A1"], referenceCount: 2))
        var state = try Self.state(after: [announced])
        let tooMany = TenantEvent.c2bValidationReferencesAdded(.init(accountReferences: ["B1", "B2"]))
        #expect(throws: PesaCoreError.self) { try state.apply(tooMany, seq: state.lastSeq + 1, atMs: 1) }
        let rest = TenantEvent.c2bValidationReferencesAdded(.init(accountReferences: ["B1"]))
        try state.apply(rest, seq: state.lastSeq + 1, atMs: 1)
        #expect(state.c2bValidation?.accountReferences == ["A1", "B1"])
        for count in [1, 0, Limits.c2bAccountReferencesCountMax + 1] {
            let bad = TenantEvent.c2bValidationSet(
                .init(rejectUnknown: true, accountReferences: ["A1"], referenceCount: count))
            #expect(throws: PesaCoreError.self, "\(count)") {
                try state.apply(bad, seq: state.lastSeq + 1, atMs: 1)
            }
        }
        // The whole list's checks hold for each part too.
        try state.apply(announced, seq: state.lastSeq + 1, atMs: 1)
        let blank = TenantEvent.c2bValidationReferencesAdded(.init(accountReferences: ["  "]))
        #expect(throws: PesaCoreError.self) { try state.apply(blank, seq: state.lastSeq + 1, atMs: 1) }
    }
}

extension C2BValidationPartsTests {
    /// References made of what JSON escapes (quotes, backslashes, control characters, separators) still give
    /// parts that each fit in a journal line.
    @Test func escapedCharactersAreCountedAtTheirEscapedSize() {
        let odd = ["\"", "\\", "\u{1}", "\u{2028}", "\u{2029}"]
        let references = (0..<Limits.c2bAccountReferencesCountMax).map { index in
            "R\(index)" + String(repeating: odd[index % odd.count], count: 90)
        }
        let events = TenantEvent.c2bValidation(rejectUnknown: true, accountReferences: references)
        #expect(events.count > 10)
        for event in events {
            #expect(event.canonicalData().count <= Limits.c2bValidationPartBytesMax + 200, "\(event.type)")
        }
    }
}
