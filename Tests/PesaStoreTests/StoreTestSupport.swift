import Logging
import PesaCore
import PesaTesting

@testable import PesaStore

/// Opens the test tenant "org_test" in `root` on `io` with the ledger test state.
func openLedger(
    _ root: String, io: any FileIO, segmentBytesMax: Int = Limits.segmentBytesMax
) throws(StoreError) -> (store: TenantStore, state: LedgerTestState, report: TenantStore.OpenReport) {
    let data = DataDirectory(root: root, io: io)
    try data.prepare()
    if io.fileKind(at: data.tenantDirectory("org_test")) == .missing {
        try data.createTenant(TenantManifest(id: "org_test", slug: "test", name: "Test", createdAtMs: 0))
    }
    return try TenantStore.open(
        directory: data.tenantDirectory("org_test"), tenantID: "org_test", as: LedgerTestState.self, io: io,
        logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), segmentBytesMax: segmentBytesMax)
}

func verifyLedger(_ root: String, io: any FileIO) throws -> TenantVerifier.Report {
    try TenantVerifier(io: io).verify(
        directory: DataDirectory(root: root, io: io).tenantDirectory("org_test"), tenantID: "org_test",
        as: LedgerTestState.self, vault: nil)
}

/// Appends one ledger event per id, concurrently, and returns the ids that were acknowledged.
func appendConcurrently(_ store: TenantStore, ids: [String]) async -> [String] {
    await withTaskGroup(of: String?.self) { group in
        for id in ids {
            group.addTask {
                do {
                    _ = try await store.append([LedgerTestState.event(id: id, n: 1)])
                    return id
                } catch {
                    return nil
                }
            }
        }
        var acknowledged: [String] = []
        for await id in group { if let id { acknowledged.append(id) } }
        return acknowledged
    }
}
