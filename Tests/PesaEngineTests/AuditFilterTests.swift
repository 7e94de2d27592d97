import PesaCore
import Synchronization
import Testing

@testable import PesaEngine

/// A wall clock a test sets.
final class SettableClock: WallClock {
    private let now: Mutex<Int64>

    init(_ ms: Int64) { now = Mutex(ms) }

    func nowMs() -> Int64 { now.withLock { $0 } }

    func set(_ ms: Int64) { now.withLock { $0 = ms } }
}

/// `GET /v1/audit-log?from=&to=&actor=&action=`: the engine's filter, with paging across it.
@Suite struct AuditFilterTests {
    @Test func entriesAreFilteredByTimeActorAndAction() async throws {
        let start: Int64 = 1_764_331_200_000
        let clock = SettableClock(start)
        let harness = try await EngineHarness.start(clock: clock)
        let acme = try await harness.makeOrganization("acme")
        let admin = EngineHarness.member(.orgAdmin, of: acme)
        for (index, email) in ["a@acme.co.ke", "b@acme.co.ke", "c@acme.co.ke"].enumerated() {
            clock.set(start + Int64(index + 1) * 60_000)
            let user = try await harness.gateway.createUser(
                in: acme, email: email, passwordHash: "h", role: .user, by: admin)
            try await harness.gateway.deleteUser(user.id, in: acme, by: EngineHarness.superAdmin)
        }
        let gateway = harness.gateway
        let all = try await gateway.auditLog(in: acme, after: 0, limit: 50, by: admin).entries
        #expect(all.count == 7)

        // Time: `from` inclusive, `to` exclusive.
        let minutes2and3 = AuditFilter(fromMs: start + 120_000, toMs: start + 180_001)
        let timed = try await gateway.auditLog(in: acme, after: 0, limit: 50, filter: minutes2and3, by: admin).entries
        #expect(timed.map(\.atMs) == [start + 120_000, start + 120_000, start + 180_000, start + 180_000])
        let empty = AuditFilter(fromMs: start + 120_000, toMs: start + 120_000)
        #expect(try await gateway.auditLog(in: acme, after: 0, limit: 50, filter: empty, by: admin).entries.isEmpty)

        // Actor and action, alone and together, with paging that carries on past skipped entries.
        let deletes = AuditFilter(action: "user.delete")
        let firstPage = try await gateway.auditLog(in: acme, after: 0, limit: 2, filter: deletes, by: admin).entries
        #expect(firstPage.map(\.action) == ["user.delete", "user.delete"])
        let secondPage = try await gateway.auditLog(
            in: acme, after: try #require(firstPage.last).seq, limit: 2, filter: deletes, by: admin).entries
        #expect(secondPage.map(\.action) == ["user.delete"])
        #expect((firstPage + secondPage).allSatisfy { $0.actor == "usr_admin" })
        let byMember = AuditFilter(actor: "usr_member")
        let members = try await gateway.auditLog(in: acme, after: 0, limit: 50, filter: byMember, by: admin).entries
        #expect(members.map(\.action) == ["user.create", "user.create", "user.create"])
        let both = AuditFilter(fromMs: start + 180_000, actor: "usr_member", action: "user.create")
        #expect(try await gateway.auditLog(in: acme, after: 0, limit: 50, filter: both, by: admin).entries.count == 1)
        #expect(
            try await gateway.auditLog(in: acme, after: 0, limit: 50, filter: AuditFilter(actor: "usr_x"), by: admin)
                .entries
                .isEmpty)
    }
}
