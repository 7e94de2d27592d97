import Logging
import PesaCore
import PesaStore
import PesaTesting
import Testing

/// A long C2B validation list is several journal lines written as one commit: a power cut during the write
/// leaves, once the tenant opens again, either the rule before it or the whole new one, never a part of its list.
@Suite struct C2BValidationTornCommitTests {
    static let longest = (0..<Limits.c2bAccountReferencesCountMax).map {
        "ACC\($0)-" + String(repeating: "Z", count: 80)
    }

    static func open(_ io: SimulatedFileIO) throws -> (store: TenantStore, state: TenantState) {
        let data = DataDirectory(root: "/data", io: io)
        try data.prepare()
        if io.fileKind(at: data.tenantDirectory("org_test")) == .missing {
            try data.createTenant(TenantManifest(id: "org_test", slug: "test", name: "Test", createdAtMs: 0))
        }
        let (store, state, _) = try TenantStore.open(
            directory: data.tenantDirectory("org_test"), tenantID: "org_test", as: TenantState.self, io: io,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        return (store, state)
    }

    static func lines(_ events: [TenantEvent]) -> [NewEvent] {
        events.map { NewEvent(type: $0.type, data: $0.canonicalData(), atMs: 1_700_000_000_000) }
    }

    @Test(arguments: 0..<16)
    func aCutDuringTheWriteLeavesTheOldRuleOrTheWholeNewOne(seed: UInt64) async throws {
        let io = SimulatedFileIO(seed: seed)
        let (store, _) = try Self.open(io)
        let organization = TenantEvent.organizationCreated(.init(
            organizationID: OrganizationID(randomBytes: Array(repeating: 4, count: 16)), name: "Test",
            slug: try OrgSlug("test"), plan: "starter", subscriptionStatus: .active, currentPeriodStartMs: 0,
            currentPeriodEndMs: 1, callbackToken: "cbt_0123456789"))
        let old = TenantEvent.c2bValidation(rejectUnknown: true, accountReferences: ["OLD-1"])
        _ = try await store.append(Self.lines([organization] + old))
        let new = TenantEvent.c2bValidation(rejectUnknown: true, accountReferences: Self.longest)
        #expect(new.count > 10)
        // The cut comes during the write, its sync, or just after them.
        io.crash(afterOperations: 1 + Int(seed % 3))
        let acknowledged = (try? await store.append(Self.lines(new))) != nil
        io.reboot()
        let (reopened, state) = try Self.open(io)
        let whole = Set(Self.longest.map { $0.uppercased() })
        let references = state.c2bValidation?.accountReferences
        if acknowledged {
            #expect(references == whole, "seed \(seed): an acknowledged list came back with \(references?.count ?? 0)")
        } else if state.lastSeq < 2 + UInt64(new.count) {
            // Only the first lines of the commit survived (most seeds): a part of the list is on disk, and unused.
            #expect(references == ["OLD-1"], "seed \(seed): \(references?.count ?? 0) references")
            #expect(state.lastSeq == 2 || state.c2bValidationPending?.isComplete == false, "seed \(seed)")
        } else {
            #expect(references == whole, "seed \(seed): \(references?.count ?? 0) references")
        }
        // The next commit ends a list left incomplete and is applied as usual.
        let next = TenantEvent.c2bValidation(rejectUnknown: false, accountReferences: ["NEW-1"])
        _ = try await reopened.append(Self.lines(next))
        await reopened.close()
        let (_, after) = try Self.open(io)
        #expect(after.c2bValidation?.accountReferences == ["NEW-1"] && after.c2bValidationPending == nil)
    }
}
