import Foundation
import PesaCore
import PesaTesting
import Testing

@testable import PesaStore

/// What offline commands and tools ask of the data folder through `PesaStore`: the master key's files, a
/// tenant's callback token key, its newest snapshot, whether a tenant exists.
@Suite struct OfflineFilesTests {
    @Test func anExistingMasterKeyIsFoundInOrderAndNoneIsCreated() throws {
        let io = SimulatedFileIO(seed: 31)
        try io.createDirectory(at: "/data")
        try io.createDirectory(at: "/keys")
        #expect(try MasterKey.existing(environment: [:], keyFile: nil, dataDirectory: "/data", io: io) == nil)
        #expect(io.fileKind(at: "/data/master.key") == .missing)
        let inFolder = try MasterKey.readOrCreate(at: "/data/master.key", io: io).key
        let found = try MasterKey.existing(environment: [:], keyFile: nil, dataDirectory: "/data", io: io)
        #expect(found?.id == inFolder.id)
        let inFile = try MasterKey.readOrCreate(at: "/keys/other.key", io: io).key
        let named = try MasterKey.existing(environment: [:], keyFile: "/keys/other.key", dataDirectory: "/data", io: io)
        #expect(named?.id == inFile.id)
        let fromEnvironment = MasterKey.generate()
        let environment = [MasterKey.environmentVariable: fromEnvironment.base64]
        let first = try MasterKey.existing(
            environment: environment, keyFile: "/keys/other.key", dataDirectory: "/data", io: io)
        #expect(first?.id == fromEnvironment.id)
        #expect(throws: StoreError.self) {
            try MasterKey.existing(environment: [:], keyFile: "/keys/missing.key", dataDirectory: "/data", io: io)
        }
    }

    @Test func readOrCreateWritesAnOwnerOnlyKeyOnceAndThenReadsIt() throws {
        let temp = TemporaryDirectory("key-file")
        defer { temp.remove() }
        let path = temp.path + "/next.key"
        let (created, wasCreated) = try MasterKey.readOrCreate(at: path, io: PosixFileIO())
        #expect(wasCreated)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let (again, createdAgain) = try MasterKey.readOrCreate(at: path, io: PosixFileIO())
        #expect(!createdAgain)
        #expect(again.id == created.id)
    }

    @Test func aRotatedKeyTakesTheDefaultNameAndTheOldOneIsKept() throws {
        let io = SimulatedFileIO(seed: 32)
        try io.createDirectory(at: "/data")
        let old = try MasterKey.readOrCreate(at: "/data/master.key", io: io).key
        let new = try MasterKey.readOrCreate(at: "/data/master.key.next", io: io).key
        let retired = try MasterKey.installRotated(
            newKeyFile: "/data/master.key.next", dataDirectory: "/data", retiredAtSeconds: 1_764_331_200, io: io)
        #expect(retired == "/data/master.key.retired-1764331200")
        #expect(try MasterKey.read("/data/master.key", io: io).id == new.id)
        #expect(try MasterKey.read(retired, io: io).id == old.id)
        #expect(io.fileKind(at: "/data/master.key.next") == .missing)
    }

    @Test func theCallbackTokenKeyIsReadWithoutOpeningTheTenant() async throws {
        let io = SimulatedFileIO(seed: 33)
        let (store, _, _) = try openLedger("/data", io: io)
        let vault = CredentialVault(masterKey: MasterKey.generate())
        let directory = "/data/tenants/org_test"
        let read = { (vault: CredentialVault) throws(StoreError) in
            try TenantStore.readCallbackTokenKey(directory: directory, tenantID: "org_test", vault: vault, io: io)
        }
        #expect(try read(vault) == nil)
        let key = Array(repeating: UInt8(7), count: 32)
        try await store.writeCallbackTokenKey(key, with: vault)
        #expect(try read(vault) == key)
        #expect(try await store.readCallbackTokenKey(with: vault) == key)
        let otherVault = CredentialVault(masterKey: MasterKey.generate())
        let error = #expect(throws: StoreError.self) { try read(otherVault) }
        #expect(error?.code == .wrongMasterKey)
        await store.close()
    }

    @Test func theNewestSnapshotIsTheOneCoveringTheMostLines() async throws {
        let io = SimulatedFileIO(seed: 34)
        let (store, _, _) = try openLedger("/data", io: io)
        let directory = "/data/tenants/org_test"
        #expect(try SnapshotInspector.newestSnapshotBytes(tenantDirectory: directory, io: io) == nil)
        for round in 1...2 {
            for index in 0..<5 {
                _ = try await store.append([LedgerTestState.event(id: "r\(round)-\(index)", n: Int64(round))])
            }
            let (state, head) = try TenantStore.readState(directory: directory, as: LedgerTestState.self, io: io)
            try await store.writeSnapshot(state, at: head, atMs: io.nowMs)
        }
        let bytes = try #require(try SnapshotInspector.newestSnapshotBytes(tenantDirectory: directory, io: io))
        #expect(bytes == (try io.readFile(at: directory + "/snapshots/" + SnapshotFile.fileName(seq: 10))))
        #expect(!(try SnapshotInspector.payload(of: bytes)).isEmpty)
        await store.close()
    }

    @Test func aTenantExistsOnceItsManifestIsWritten() throws {
        let io = SimulatedFileIO(seed: 35)
        let data = DataDirectory(root: "/data", io: io)
        try data.prepare()
        #expect(!data.hasTenant("org_test"))
        try io.createDirectory(at: data.tenantDirectory("org_half"))
        #expect(!data.hasTenant("org_half"))
        try data.createTenant(TenantManifest(id: "org_test", slug: "test", name: "Test", createdAtMs: 0))
        #expect(data.hasTenant("org_test"))
    }
}
