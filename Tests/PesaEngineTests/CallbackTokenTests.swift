import Foundation
import PesaCore
import PesaStore
import PesaTesting
import Testing

@testable import PesaEngine

/// Rotating an organization's callback token: the new one works at once, the old one for its grace only,
/// one previous token at most, and all of it survives a restart and a snapshot.
@Suite struct CallbackTokenTests {
    /// An STK result for a push nobody made: an orphan, answered without touching any payment, so it only
    /// shows whether the URL's token was accepted (`.accepted`) or not (`.notFound`).
    static let validation = Array(
        (#"{"Body":{"stkCallback":{"MerchantRequestID":"29115-1-1","CheckoutRequestID":"ws_CO_NOBODY","#
            + #""ResultCode":1032,"ResultDesc":"Request cancelled by user"}}}"#)
            .utf8)

    func answer(_ harness: EngineHarness, _ token: String) async throws -> CallbackAnswer {
        try await harness.gateway.receiveCallback(
            slug: "acme", token: token, kind: .stk, body: Self.validation)
    }

    @Test func theOldTokenWorksForItsGraceOnlyAndOnlyTheLastOneIsKept() async throws {
        let start: Int64 = 1_764_331_200_000
        let clock = SettableClock(start)
        var harness = try await EngineHarness.start(snapshotEvery: 4, clock: clock)
        let acme = try await harness.makeOrganization("acme")
        let admin = EngineHarness.member(.orgAdmin, of: acme)
        let first = try await harness.gateway.organization(acme, by: admin).openedToken
        #expect(try await answer(harness, first) == .accepted)

        let rotated = try await harness.gateway.rotateCallbackToken(in: acme, previousValidHours: 2, by: admin)
        let second = rotated.openedToken
        #expect(second != first && second.count == first.count)
        #expect(rotated.record.previousCallbackTokenValidUntilMs == start + 2 * 3_600_000)
        // Neither token is in any file of the organization's folder in clear (the journal holds them sealed).
        let files = Self.files(under: "/data/tenants/\(acme.rawValue)", io: harness.io)
        #expect(files.contains { $0.hasSuffix(".jsonl") } && files.contains { $0.hasSuffix("/callback-token.key") })
        for file in files {
            let text = String(decoding: try harness.io.readFile(at: file), as: UTF8.self)
            #expect(!text.contains(first) && !text.contains(second), "\(file)")
        }
        #expect(try await answer(harness, second) == .accepted)
        #expect(try await answer(harness, first) == .accepted)
        #expect(try await answer(harness, "wrong-token") == .notFound)
        // While the replaced token is accepted, another rotation would cut it off: refused unless forced.
        let again = await #expect(throws: EngineError.self) {
            try await harness.gateway.rotateCallbackToken(in: acme, previousValidHours: 5, by: admin)
        }
        #expect(again?.code == .conflict)
        #expect(again?.param == "force")
        #expect(try await answer(harness, first) == .accepted)
        let audit = try await harness.gateway.auditLog(in: acme, after: 0, limit: 50, by: admin).entries
        #expect(audit.last?.action == "organization.callback_token_rotate")
        #expect(!audit.contains { $0.target.contains(first) || $0.target.contains(second) })

        // A restart (and the snapshots taken on the way) keeps both and the grace.
        harness = try await harness.restartedKeepingClock(clock)
        #expect(try await answer(harness, first) == .accepted)
        clock.set(start + 2 * 3_600_000 - 1)
        #expect(try await answer(harness, first) == .accepted)
        clock.set(start + 2 * 3_600_000)
        #expect(try await answer(harness, first) == .notFound)
        #expect(try await answer(harness, second) == .accepted)

        // Once the grace is over, rotating again keeps only the token it replaces; forced with 0 hours, none.
        let third = try await harness.gateway.rotateCallbackToken(in: acme, previousValidHours: 72, by: admin)
        let thirdUntil: Int64 = start + 74 * 3_600_000
        #expect(third.record.previousCallbackTokenValidUntilMs == thirdUntil)
        #expect(try await answer(harness, second) == .accepted)
        #expect(try await answer(harness, first) == .notFound)
        let fourth = try await harness.gateway.rotateCallbackToken(
            in: acme, previousValidHours: 0, force: true, by: admin)
        #expect(fourth.record.previousCallbackTokenValidUntilMs == nil)
        #expect(try await answer(harness, third.openedToken) == .notFound)
        #expect(try await answer(harness, fourth.openedToken) == .accepted)
    }

    @Test func aTokenJournaledInClearStillWorksAndItsRotationSealsTheNext() async throws {
        let harness = try await EngineHarness.start()
        let gateway = harness.gateway
        let id = OrganizationID(randomBytes: CommandContext.randomBytes(16))
        #expect(gateway.registry.reserve(slug: "legacy", id: id.rawValue))
        try await gateway.registry.data.createTenantOffThread(
            TenantManifest(id: id.rawValue, slug: "legacy", name: "Legacy", createdAtMs: 0))
        gateway.registry.register(TenantRegistry.Listing(id: id.rawValue, slug: "legacy", name: "Legacy"))
        // As a binary from before callback token keys journaled it.
        let plain = "plaintokenjournaledbeforekeys0123"
        let created = TenantEvent.organizationCreated(.init(
            organizationID: id, name: "Legacy", slug: try OrgSlug("legacy"), plan: "free", subscriptionStatus: .active,
            currentPeriodStartMs: 0, currentPeriodEndMs: 1, callbackToken: plain))
        try await gateway.engine(id).execute { (_, _) throws(EngineError) in Decision(events: [created], value: ()) }
        let keyFile = "/data/tenants/\(id.rawValue)/callback-token.key"
        #expect(harness.io.fileKind(at: keyFile) == .missing)
        let admin = EngineHarness.member(.orgAdmin, of: id)
        let answer = { (token: String) async throws -> CallbackAnswer in
            try await gateway.receiveCallback(slug: "legacy", token: token, kind: .stk, body: Self.validation)
        }
        #expect(try await answer(plain) == .accepted)
        #expect(try await gateway.organization(id, by: admin).openedToken == plain)

        // A request that took the seal before the rotation made the key still opens the sealed token after it.
        let sealTakenBefore = try await gateway.callbackTokenSeal(try await gateway.engine(id))
        let rotated = try await gateway.rotateCallbackToken(in: id, previousValidHours: 1, by: admin)
        #expect(sealTakenBefore.open(rotated.record.callbackToken) == rotated.openedToken)
        #expect(harness.io.fileKind(at: keyFile) == .regular)
        #expect(rotated.record.callbackToken.hasPrefix("sealed:v1:"))
        #expect(rotated.openedToken != plain && rotated.openedToken.count == 32)
        #expect(try await answer(rotated.openedToken) == .accepted)
        #expect(try await answer(plain) == .accepted)  // its grace
        let restarted = try await harness.restarted()
        let again = { (token: String) async throws -> CallbackAnswer in
            try await restarted.gateway.receiveCallback(
                slug: "legacy", token: token, kind: .stk, body: Self.validation)
        }
        #expect(try await again(rotated.openedToken) == .accepted)
        #expect(try await restarted.gateway.organization(id, by: admin).openedToken == rotated.openedToken)
    }

    @Test func aMissingKeyIsAClearErrorNotAWrongTokenAndVerifyNamesIt() async throws {
        var harness = try await EngineHarness.start()
        let acme = try await harness.makeOrganization("acme")
        let admin = EngineHarness.member(.orgAdmin, of: acme)
        let token = try await harness.gateway.organization(acme, by: admin).openedToken
        let folder = "/data/tenants/\(acme.rawValue)"
        try harness.io.removeFile(at: folder + "/callback-token.key")
        try harness.io.syncDirectory(at: folder)
        harness = try await harness.restarted()
        let engine = try await harness.gateway.engine(acme)
        let head = engine.store.journal.head.seq
        // Results must not be answered "wrong token" (404, dropped unseen): 503, and nothing is written.
        let refused = await #expect(throws: EngineError.self) { try await answer(harness, token) }
        #expect(refused?.code == .tenantUnavailable)
        #expect(refused?.message.contains("callback-token.key") == true)
        #expect(engine.store.journal.head.seq == head)
        // The organization still answers and lists, without a callback URL; a change to it still answers.
        #expect(try await harness.gateway.organization(acme, by: admin).callbackToken == nil)
        var rename = OrganizationChanges()
        rename.name = "Acme Two"
        let renamed = try await harness.gateway.updateOrganization(acme, rename, by: EngineHarness.superAdmin)
        #expect(renamed.record.name == "Acme Two" && renamed.callbackToken == nil)
        #expect(try await harness.gateway.organizations(by: EngineHarness.superAdmin).views.count == 1)
        // A push cannot build its callback URL: refused before anything is journaled.
        let state = try await engine.read { $0 }
        let organization = try #require(state.organization)
        #expect(CallbackTokenSealing.problems(of: organization, keyFile: nil).first?.contains("missing") == true)
        let verified = try TenantVerifier(io: harness.io).verify(
            directory: folder, tenantID: acme.rawValue, as: TenantState.self, vault: harness.gateway.vault,
            check: { state in state.organization.map { CallbackTokenSealing.problems(of: $0, keyFile: nil) } ?? [] })
        #expect(verified.problems.contains { $0.message.contains("is sealed but callback-token.key is missing") })
    }

    /// Every file under `folder`, recursively.
    static func files(under folder: String, io: any FileIO) -> [String] {
        guard let names = try? io.listDirectory(at: folder) else { return [] }
        return names.flatMap { name -> [String] in
            let path = folder + "/" + name
            return io.fileKind(at: path) == .directory ? files(under: path, io: io) : [path]
        }
    }

    @Test func onlyAnAdminOfTheOrganizationRotatesWithinTheLimits() async throws {
        let harness = try await EngineHarness.start()
        let acme = try await harness.makeOrganization("acme")
        let globex = try await harness.makeOrganization("globex")
        let manager = await #expect(throws: EngineError.self) {
            try await harness.gateway.rotateCallbackToken(
                in: acme, previousValidHours: 0, by: EngineHarness.member(.manager, of: acme))
        }
        #expect(manager?.code == .forbidden)
        let other = await #expect(throws: EngineError.self) {
            try await harness.gateway.rotateCallbackToken(
                in: acme, previousValidHours: 0, by: EngineHarness.member(.orgAdmin, of: globex))
        }
        #expect(other?.code == .notFound)
        for hours: Int64 in [-1, Gateway.previousCallbackTokenHoursMax + 1] {
            let bad = await #expect(throws: EngineError.self) {
                try await harness.gateway.rotateCallbackToken(
                    in: acme, previousValidHours: hours, by: EngineHarness.superAdmin)
            }
            #expect(bad?.param == "previous_valid_hours")
        }
    }
}

extension EngineHarness {
    /// `restarted()`, with the same settable clock.
    func restartedKeepingClock(_ clock: SettableClock) async throws -> EngineHarness {
        await gateway.close()
        io.reboot()
        return try await Self.start(io: io, key: key, snapshotEvery: 4, clock: clock)
    }
}
