import PesaCore
import PesaStore
import PesaTesting
import Synchronization
import Testing

@testable import PesaEngine

@Suite struct OrganizationAndUserTests {
    @Test func aSuperAdminCreatesAnOrganizationWithAFolderAndATrial() async throws {
        let harness = try await EngineHarness.start()
        let view = try await harness.gateway.createOrganization(
            name: "  Acme Ltd ", slug: "acme", plan: "starter", by: EngineHarness.superAdmin)
        #expect(view.record.name == "Acme Ltd")
        #expect(view.record.slug.rawValue == "acme")
        #expect(view.record.subscriptionStatus == .trialing)
        #expect(view.openedToken.count == 32)
        // Journaled sealed, never in clear (CallbackTokenSeal).
        #expect(view.record.callbackToken.hasPrefix("sealed:v1:"))
        #expect(!view.record.callbackToken.contains(view.openedToken))
        #expect(harness.io.fileKind(at: "/data/tenants/\(view.record.id.rawValue)/callback-token.key") == .regular)
        #expect(harness.io.fileKind(at: "/data/tenants/\(view.record.id.rawValue)/tenant.json") == .regular)
        #expect(harness.gateway.registry.listing(slug: "acme")?.id == view.record.id.rawValue)
    }

    @Test func slugsAreValidatedAndUnique() async throws {
        let harness = try await EngineHarness.start()
        _ = try await harness.makeOrganization("acme")
        let taken = await #expect(throws: EngineError.self) {
            try await harness.gateway.createOrganization(
                name: "Other", slug: "acme", plan: "free", by: EngineHarness.superAdmin)
        }
        #expect(taken?.code == .conflict)
        #expect(taken?.param == "slug")
        for bad in ["A", "x", "has space", "UPPER", String(repeating: "a", count: 41), "a_b"] {
            let error = await #expect(throws: EngineError.self) {
                try await harness.gateway.createOrganization(
                    name: "X", slug: bad, plan: "free", by: EngineHarness.superAdmin)
            }
            #expect(error?.code == .invalidField, "slug \(bad)")
            #expect(error?.param == "slug")
        }
        let plan = await #expect(throws: EngineError.self) {
            try await harness.gateway.createOrganization(
                name: "X", slug: "xx", plan: "gold", by: EngineHarness.superAdmin)
        }
        #expect(plan?.param == "plan")
    }

    @Test func onlyASuperAdminCreatesOrganizations() async throws {
        let harness = try await EngineHarness.start()
        let org = try await harness.makeOrganization("acme")
        let error = await #expect(throws: EngineError.self) {
            try await harness.gateway.createOrganization(
                name: "X", slug: "other", plan: "free", by: EngineHarness.member(.orgAdmin, of: org))
        }
        #expect(error?.code == .forbidden)
    }

    @Test func anotherOrganizationsObjectsAreNotFound() async throws {
        let harness = try await EngineHarness.start()
        let acme = try await harness.makeOrganization("acme")
        let globex = try await harness.makeOrganization("globex")
        let acmeAdmin = EngineHarness.member(.orgAdmin, of: acme)
        let error = await #expect(throws: EngineError.self) {
            try await harness.gateway.organization(globex, by: acmeAdmin)
        }
        #expect(error?.code == .notFound)
        let users = await #expect(throws: EngineError.self) {
            try await harness.gateway.users(in: globex, by: acmeAdmin)
        }
        #expect(users?.code == .notFound)
        #expect(try await harness.gateway.organizations(by: acmeAdmin).views.map(\.record.id) == [acme])
        let all = try await harness.gateway.organizations(by: EngineHarness.superAdmin)
        #expect(all.views.count == 2 && !all.more)
        // Paged by slug, one at a time, after the previous page's last id.
        let first = try await harness.gateway.organizations(by: EngineHarness.superAdmin, limit: 1)
        #expect(first.views.map(\.record.id) == [all.views[0].record.id] && first.more)
        let second = try await harness.gateway.organizations(
            by: EngineHarness.superAdmin, after: first.views[0].record.id.rawValue, limit: 1)
        #expect(second.views.map(\.record.id) == [all.views[1].record.id] && !second.more)
        let unknown = await #expect(throws: EngineError.self) {
            try await harness.gateway.organizations(by: EngineHarness.superAdmin, after: "org_nothing", limit: 1)
        }
        #expect(unknown?.param == "cursor")
    }

    @Test func usersHaveInstanceWideUniqueEmailsAndRoleLimits() async throws {
        let harness = try await EngineHarness.start()
        let acme = try await harness.makeOrganization("acme")
        let globex = try await harness.makeOrganization("globex")
        let admin = EngineHarness.member(.orgAdmin, of: acme)
        let user = try await harness.gateway.createUser(
            in: acme, email: " Jane@Example.com ", passwordHash: "$2b$hash", role: .manager, by: admin)
        #expect(user.email == "jane@example.com")
        let duplicate = await #expect(throws: EngineError.self) {
            try await harness.gateway.createUser(
                in: globex, email: "JANE@example.com", passwordHash: "h", role: .user, by: EngineHarness.superAdmin)
        }
        #expect(duplicate?.code == .conflict)
        let superAdmin = await #expect(throws: EngineError.self) {
            try await harness.gateway.createUser(
                in: acme, email: "x@example.com", passwordHash: "h", role: .superAdmin, by: admin)
        }
        #expect(superAdmin?.code == .forbidden)
        let manager = EngineHarness.member(.manager, of: acme)
        let byManager = await #expect(throws: EngineError.self) {
            try await harness.gateway.createUser(
                in: acme, email: "y@example.com", passwordHash: "h", role: .user, by: manager)
        }
        #expect(byManager?.code == .forbidden)
        let badEmail = await #expect(throws: EngineError.self) {
            try await harness.gateway.createUser(
                in: acme, email: "not-an-email", passwordHash: "h", role: .user, by: admin)
        }
        #expect(badEmail?.param == "email")
        let candidate = try #require(try await harness.gateway.loginCandidate(email: "jane@EXAMPLE.com"))
        #expect(candidate.organizationID == acme)
        #expect(candidate.user.role == .manager)
    }

    @Test func everythingSurvivesARestartIncludingTheLoginDirectory() async throws {
        let harness = try await EngineHarness.start()
        let acme = try await harness.makeOrganization("acme")
        _ = try await harness.gateway.createSuperAdmin(email: "root@example.com", passwordHash: "h0")
        let user = try await harness.gateway.createUser(
            in: acme, email: "ops@acme.co.ke", passwordHash: "h1", role: .orgAdmin, by: EngineHarness.superAdmin)
        let restarted = try await harness.restarted()
        #expect(
            try await restarted.gateway.organization(acme, by: EngineHarness.superAdmin).record.slug.rawValue == "acme")
        let candidate = try #require(try await restarted.gateway.loginCandidate(email: "ops@acme.co.ke"))
        #expect(candidate.user.id == user.id)
        #expect(try await restarted.gateway.loginCandidate(email: "root@example.com")?.organizationID == nil)
        #expect(try await restarted.gateway.loginCandidate(email: "nobody@example.com") == nil)
        #expect(await restarted.gateway.superAdminCount == 1)
    }

    @Test func updatesAndDeletesAreAuditedAndRespectRoles() async throws {
        let harness = try await EngineHarness.start()
        let acme = try await harness.makeOrganization("acme")
        let admin = EngineHarness.member(.orgAdmin, of: acme)
        let user = try await harness.gateway.createUser(
            in: acme, email: "u@acme.co.ke", passwordHash: "h", role: .user, by: admin)
        let updated = try await harness.gateway.updateUser(user.id, in: acme, UserChanges(role: .manager), by: admin)
        #expect(updated.role == .manager)
        try await harness.gateway.deleteUser(user.id, in: acme, by: admin)
        let gone = await #expect(throws: EngineError.self) {
            try await harness.gateway.user(user.id, in: acme, by: admin)
        }
        #expect(gone?.code == .notFound)
        let entries = try await harness.gateway.auditLog(in: acme, after: 0, limit: 50, by: admin).entries
        #expect(entries.map(\.action) == ["organization.create", "user.create", "user.update", "user.delete"])
        #expect(entries.allSatisfy { $0.requestID == "req_test" })
        let verification = try await harness.gateway.verifyAuditLog(in: acme, by: admin)
        #expect(verification.ok)
        #expect(verification.entries == 4)
        #expect(verification.head.count == 64)
        let page = try await harness.gateway.auditLog(in: acme, after: entries[1].seq, limit: 1, by: admin).entries
        #expect(page.map(\.action) == ["user.update"])
        // A cursor past the head (forged, or from a restored older copy) reads nothing; the largest one too.
        for past in [entries[3].seq, entries[3].seq + 1_000, UInt64.max] {
            #expect(try await harness.gateway.auditLog(in: acme, after: past, limit: 50, by: admin).entries.isEmpty)
        }
    }

    @Test func organizationChangesNeedTheRightRole() async throws {
        let harness = try await EngineHarness.start()
        let acme = try await harness.makeOrganization("acme")
        let admin = EngineHarness.member(.orgAdmin, of: acme)
        var rename = OrganizationChanges()
        rename.name = "Acme Kenya"
        #expect(try await harness.gateway.updateOrganization(acme, rename, by: admin).record.name == "Acme Kenya")
        var billing = OrganizationChanges()
        billing.plan = "business"
        let refused = await #expect(throws: EngineError.self) {
            try await harness.gateway.updateOrganization(acme, billing, by: admin)
        }
        #expect(refused?.code == .forbidden)
        billing.rateLimitOverride = 500
        let updated = try await harness.gateway.updateOrganization(acme, billing, by: EngineHarness.superAdmin)
        #expect(updated.record.plan == "business")
        #expect(updated.record.rateLimitOverride == 500)
    }
}

extension OrganizationAndUserTests {
    /// tenant.json's `created_at_ms` is the folder's time, read before the journal exists, and is the
    /// `current_period_start_ms` of `organization.created`; the organization's `created_at` is that line's
    /// `at_ms`, read later (data-layout.md, "tenant.json").
    @Test func theManifestTimeIsTheFoldersAndTheOrganizationsIsItsFirstLines() async throws {
        let harness = try await EngineHarness.start(clock: TickingClock())
        let view = try await harness.gateway.createOrganization(
            name: "Acme", slug: "acme", plan: "starter", by: EngineHarness.superAdmin)
        let discovered = try DataDirectory(root: "/data", io: harness.io).discoverTenants()
        let found = try #require(discovered.first { $0.directory.hasSuffix(view.record.id.rawValue) })
        let manifest = try found.manifest.get()
        let engine = try await harness.gateway.engine(view.record.id)
        let page = try await engine.store.records(types: ["organization.created"], afterSeq: 0, limit: 1)
        let line = try #require(page.records.first)
        #expect(manifest.createdAtMs == view.record.currentPeriodStartMs)
        #expect(view.record.createdAtMs == line.atMs)
        #expect(view.record.updatedAtMs == line.atMs)
        #expect(manifest.createdAtMs < view.record.createdAtMs)
    }
}

/// A clock that moves 7 ms forward each time it is read.
final class TickingClock: WallClock {
    private let now = Mutex<Int64>(1_764_331_200_000)

    func nowMs() -> Int64 {
        now.withLock { now in
            now += 7
            return now
        }
    }
}
