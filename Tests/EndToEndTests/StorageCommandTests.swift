import Foundation
import Logging
import PesaCore
import PesaStore
import PesaTesting
import Testing

/// `pesa verify`, `pesa compact` and `pesa keys rotate` run as the real binary on a real folder.
@Suite struct StorageCommandTests {
    private func makeFolder(events: Int = 25) async throws -> TemporaryDirectory {
        let temp = TemporaryDirectory("cli")
        let data = DataDirectory(root: temp.path)
        try data.prepare()
        try data.createTenant(TenantManifest(id: "org_cli", slug: "cli", name: "CLI", createdAtMs: 0))
        let (store, _, _) = try TenantStore.open(
            directory: data.tenantDirectory("org_cli"), tenantID: "org_cli", as: TenantState.self, io: PosixFileIO(),
            logger: .init(label: "test"), segmentBytesMax: 1_000)
        let created = TenantEvent.organizationCreated(.init(
            organizationID: OrganizationID(randomBytes: Array(repeating: 7, count: 16)), name: "CLI",
            slug: try OrgSlug("cli"),
            plan: "free", subscriptionStatus: .trialing, currentPeriodStartMs: 0, currentPeriodEndMs: 1,
            callbackToken: "t"))
        _ = try await store.append([NewEvent(type: created.type, data: created.canonicalData(), atMs: 0)])
        for index in 1..<events {
            let audit = TenantEvent.auditRecorded(
                .init(actor: "system", action: "test.\(index)", target: "", requestID: "req_1"))
            _ = try await store.append([NewEvent(type: audit.type, data: audit.canonicalData(), atMs: 0)])
        }
        await store.close()
        return temp
    }

    @Test func verifyExitsZeroOnACleanFolderAndNamesFileAndLineOfDamage() async throws {
        let temp = try await makeFolder()
        defer { temp.remove() }
        let clean = try await PesaBinary.run(["verify", "--data", temp.path])
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        #expect(clean.stdout.contains("org_cli (cli): 25 lines, head seq 25"))
        let segment = temp.path + "/tenants/org_cli/journal/00000000000000000001.jsonl"
        var text = try String(contentsOfFile: segment, encoding: .utf8)
        text = text.replacingOccurrences(of: #""action":"test.2""#, with: #""action":"test.7""#)
        try text.write(toFile: segment, atomically: false, encoding: .utf8)
        let damaged = try await PesaBinary.run(["verify", "--data", temp.path, "--tenant", "org_cli"])
        #expect(damaged.status == 1)
        #expect(damaged.stdout.contains("\(segment):3: hash does not match the line"), "\(damaged.stdout)")
    }

    /// Two payments holding one receipt break a settlement rule the engine keeps; a folder that has them (written
    /// by an older binary, or by hand) is reported, naming both payments.
    @Test func verifyReportsTwoPaymentsHoldingOneReceipt() async throws {
        let temp = try await makeFolder(events: 2)
        defer { temp.remove() }
        let (store, _, _) = try TenantStore.open(
            directory: temp.path + "/tenants/org_cli", tenantID: "org_cli", as: TenantState.self, io: PosixFileIO(),
            logger: .init(label: "test"))
        let ids = [
            PaymentID(randomBytes: Array(repeating: 1, count: 16)),
            PaymentID(randomBytes: Array(repeating: 2, count: 16)),
        ]
        for id in ids {
            let received = TenantEvent.c2bReceived(.init(
                paymentID: id, amount: Amount(shillings: 100), phone: "254708374149", mpesaReceipt: "SKR7SHARED",
                accountReference: "INV", transactionAtMs: nil))
            _ = try await store.append([NewEvent(type: received.type, data: received.canonicalData(), atMs: 0)])
        }
        await store.close()
        let result = try await PesaBinary.run(["verify", "--data", temp.path, "--tenant", "org_cli"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("receipt SKR7SHARED is held by 2 payments"), "\(result.stdout)")
        for id in ids { #expect(result.stdout.contains(id.rawValue)) }
    }

    @Test func verifyRefusesSomethingThatIsNotADataFolder() async throws {
        let result = try await PesaBinary.run(["verify", "--data", "/nonexistent/pesa-data"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("not a pesa data folder"))
    }

    @Test func compactArchivesAndRefusesAFolderHeldByAnotherProcess() async throws {
        let temp = try await makeFolder()
        defer { temp.remove() }
        let lock = try DirectoryLock.acquire(dataDirectory: temp.path, purpose: "test server")
        let refused = try await PesaBinary.run(["compact", "--data", temp.path])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("in use by another pesa process"))
        _ = lock
        withExtendedLifetime(lock) {}
    }

    @Test func compactWritesASnapshotAndArchivesCoveredSegments() async throws {
        let temp = try await makeFolder()
        defer { temp.remove() }
        let result = try await PesaBinary.run(["compact", "--data", temp.path, "--grace-seconds", "0"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("org_cli: snapshot at seq 25"))
        let archived = try FileManager.default.contentsOfDirectory(atPath: temp.path + "/tenants/org_cli/archive")
        #expect(!archived.isEmpty)
        let verify = try await PesaBinary.run(["verify", "--data", temp.path])
        #expect(verify.status == 0, "\(verify.stdout)")
    }

    @Test func keysRotateReencryptsAndReplacesTheDefaultKeyFile() async throws {
        let temp = try await makeFolder(events: 1)
        defer { temp.remove() }
        let io = PosixFileIO()
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let old = try MasterKey.load(environment: [:], keyFile: nil, dataDirectory: temp.path, io: io, logger: logger)
        let vaultPath = temp.path + "/tenants/org_cli/credentials.enc"
        try io.writeNewFile(
            at: vaultPath, contents: CredentialVault(masterKey: old).seal(Array("secret".utf8), tenantID: "org_cli"))
        let result = try await PesaBinary.run(["keys", "rotate", "--data", temp.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("re-encrypted 1 tenant(s)"))
        let new = try MasterKey.read(temp.path + "/master.key", io: io)
        #expect(new.id != old.id)
        #expect(
            try CredentialVault(masterKey: new).open(try io.readFile(at: vaultPath), tenantID: "org_cli")
                == Array("secret".utf8))
        let verify = try await PesaBinary.run(["verify", "--data", temp.path])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }
}
