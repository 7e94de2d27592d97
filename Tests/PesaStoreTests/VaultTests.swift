import Foundation
import Logging
import PesaCore
import PesaTesting
import Testing

@testable import PesaStore

@Suite struct VaultTests {
    let secret = #"{"consumer_secret":"SuperSecretValue-9f8e7d","passkey":"bfb279f9aa9bdbcf158e97dd71a467cd"}"#

    @Test func sealedCredentialsOpenOnlyForTheirTenantAndKey() throws {
        let key = MasterKey.generate()
        let vault = CredentialVault(masterKey: key)
        let sealed = vault.seal(Array(secret.utf8), tenantID: "org_a")
        #expect(try vault.open(sealed, tenantID: "org_a") == Array(secret.utf8))
        #expect(!String(decoding: sealed, as: UTF8.self).contains("SuperSecret"))
        // Another tenant's folder: the associated data differs.
        #expect(throws: StoreError.self) { try vault.open(sealed, tenantID: "org_b") }
        // The wrong master key: a clear error naming both key ids, not garbage.
        let other = CredentialVault(masterKey: MasterKey.generate())
        let error = #expect(throws: StoreError.self) { try other.open(sealed, tenantID: "org_a") }
        #expect(error?.code == .wrongMasterKey)
        #expect(error?.message.contains(key.id) == true)
    }

    @Test func aTamperedVaultIsReportedAsDamaged() throws {
        let vault = CredentialVault(masterKey: MasterKey.generate())
        var text = String(decoding: vault.seal(Array(secret.utf8), tenantID: "org_a"), as: UTF8.self)
        let range = try #require(text.range(of: #""ciphertext":""#))
        let index = text.index(range.upperBound, offsetBy: 3)
        text.replaceSubrange(index...index, with: text[index] == "A" ? "B" : "A")
        let error = #expect(throws: StoreError.self) { try vault.open(Array(text.utf8), tenantID: "org_a") }
        #expect(error?.code == .vaultDamaged)
    }

    @Test func masterKeySourcesAndTheGeneratedKeyFile() throws {
        let io = SimulatedFileIO(seed: 21)
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let fromEnv = MasterKey.generate()
        let loaded = try MasterKey.load(
            environment: ["PESA_MASTER_KEY": fromEnv.base64], keyFile: nil, dataDirectory: "/data", io: io,
            logger: logger)
        #expect(loaded.id == fromEnv.id)
        #expect(throws: StoreError.self) {
            try MasterKey.load(
                environment: ["PESA_MASTER_KEY": "c2hvcnQ="], keyFile: nil, dataDirectory: "/data", io: io,
                logger: logger)
        }
        let created = try MasterKey.load(environment: [:], keyFile: nil, dataDirectory: "/data", io: io, logger: logger)
        #expect(io.fileKind(at: "/data/master.key") == .regular)
        let again = try MasterKey.load(environment: [:], keyFile: nil, dataDirectory: "/data", io: io, logger: logger)
        #expect(again.id == created.id)
        #expect(!created.description.contains(created.base64))
    }

    @Test func theGeneratedKeyFileIsOwnerOnly() throws {
        let temp = TemporaryDirectory("key")
        defer { temp.remove() }
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        _ = try MasterKey.load(
            environment: [:], keyFile: nil, dataDirectory: temp.path, io: PosixFileIO(), logger: logger)
        let attributes = try FileManager.default.attributesOfItem(atPath: temp.path + "/master.key")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test func rotationReencryptsEveryTenantAndCanResume() async throws {
        let io = SimulatedFileIO(seed: 22)
        let data = DataDirectory(root: "/data", io: io)
        try data.prepare()
        let old = MasterKey.generate()
        let new = MasterKey.generate()
        for id in ["org_a", "org_b", "org_c"] {
            try data.createTenant(
                TenantManifest(id: id, slug: id.replacingOccurrences(of: "_", with: "-"), name: id, createdAtMs: 0))
            try io.writeNewFile(
                at: data.tenantDirectory(id) + "/credentials.enc",
                contents: CredentialVault(masterKey: old).seal(Array((secret + id).utf8), tenantID: id))
        }
        // The callback token keys are sealed the same way: org_b has one, org_d only one (no credentials).
        try data.createTenant(TenantManifest(id: "org_d", slug: "org-d", name: "org_d", createdAtMs: 0))
        for id in ["org_b", "org_d"] {
            try io.writeNewFile(
                at: data.tenantDirectory(id) + "/" + TenantStore.callbackTokenKeyFileName,
                contents: CredentialVault(masterKey: old).seal(Array(("token key " + id).utf8), tenantID: id))
        }
        // An interrupted rotation: org_a is already under the new key.
        let rotation = KeyRotation(data: data, from: old, to: new)
        _ = try rotation.rotate(tenantID: "org_a")
        let report = try rotation.run()
        #expect(report.rotated == ["org_b", "org_c", "org_d"])
        #expect(report.alreadyRotated == ["org_a"])
        let sealed = [("org_a", "credentials.enc"), ("org_b", "credentials.enc"), ("org_c", "credentials.enc"),
                      ("org_b", TenantStore.callbackTokenKeyFileName), ("org_d", TenantStore.callbackTokenKeyFileName)]
        for (id, name) in sealed {
            let bytes = try io.readFile(at: data.tenantDirectory(id) + "/" + name)
            let expected = name == "credentials.enc" ? secret + id : "token key " + id
            #expect(try CredentialVault(masterKey: new).open(bytes, tenantID: id) == Array(expected.utf8))
            #expect(throws: StoreError.self) { try CredentialVault(masterKey: old).open(bytes, tenantID: id) }
        }
        #expect(try KeyRotation(data: data, from: old, to: new).run().alreadyRotated.count == 4)
    }

    @Test func noSecretIsWrittenInClearAnywhere() async throws {
        let io = SimulatedFileIO(seed: 23)
        let (store, _, _) = try openLedger("/data", io: io)
        let key = try MasterKey.load(
            environment: [:], keyFile: nil, dataDirectory: "/data", io: io,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await store.writeCredentials(Array(secret.utf8), with: CredentialVault(masterKey: key))
        _ = try await store.append([LedgerTestState.event(id: "credentials-updated", n: 1)])
        #expect(try await store.readCredentials(with: CredentialVault(masterKey: key)) == Array(secret.utf8))
        for (path, bytes) in io.allFiles() {
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(!text.contains("SuperSecretValue"), "secret in clear in \(path)")
            #expect(!text.contains("bfb279f9aa9bdbcf"), "passkey in clear in \(path)")
            if path.hasPrefix("/data/tenants") { #expect(!text.contains(key.base64), "master key in \(path)") }
        }
    }

    @Test func aSecondWriterOfTheSameDataFolderIsRefused() throws {
        let temp = TemporaryDirectory("lock")
        defer { temp.remove() }
        let lock = try DirectoryLock.acquire(dataDirectory: temp.path, purpose: "serve")
        #expect(DirectoryLock.isHeld(dataDirectory: temp.path))
        let error = #expect(throws: StoreError.self) {
            try DirectoryLock.acquire(dataDirectory: temp.path, purpose: "compact")
        }
        #expect(error?.code == .locked)
        #expect(error?.message.contains("pid") == true)
        _ = lock
    }

    /// The flock ends with its holder; the file and its text (the last holder) stay, and the next writer
    /// takes the lock and writes its own text.
    @Test func theLockFileAndItsTextStayAfterTheLockEnds() throws {
        let temp = TemporaryDirectory("lock-file")
        defer { temp.remove() }
        let path = temp.path + "/" + DirectoryLock.fileName
        do {
            let lock = try DirectoryLock.acquire(dataDirectory: temp.path, purpose: "serve")
            _ = lock
        }
        #expect(!DirectoryLock.isHeld(dataDirectory: temp.path))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "pid \(getpid()) serve\n")
        let next = try DirectoryLock.acquire(dataDirectory: temp.path, purpose: "compact")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "pid \(getpid()) compact\n")
        _ = next
    }
}
