import Foundation
import PesaCore
import PesaStore
import PesaTesting
import Synchronization
import Testing

@testable import PesaEngine

/// A disk whose journal fsyncs can be held, to look at the engine while a batch is written but not durable.
final class HeldSyncIO: FileIO {
    let disk: SimulatedFileIO
    let held = Mutex(false)
    let release = DispatchSemaphore(value: 0)
    /// Syncs waiting for `release` now.
    let waiting = Counter()

    final class Counter: Sendable { let value = Atomic<Int>(0) }

    init(disk: SimulatedFileIO) { self.disk = disk }

    final class File: AppendableFile {
        let file: any AppendableFile
        let io: HeldSyncIO
        init(file: any AppendableFile, io: HeldSyncIO) {
            self.file = file
            self.io = io
        }
        var size: Int { file.size }
        func append(_ bytes: [UInt8]) throws(FileIOError) { try file.append(bytes) }
        func sync() throws(FileIOError) {
            if io.held.withLock({ $0 }) {
                io.waiting.value.add(1, ordering: .sequentiallyConsistent)
                io.release.wait()
                io.waiting.value.subtract(1, ordering: .sequentiallyConsistent)
            }
            try file.sync()
        }
        func truncate(to size: Int) throws(FileIOError) { try file.truncate(to: size) }
        func close() { file.close() }
    }

    func readFile(at path: String) throws(FileIOError) -> [UInt8] { try disk.readFile(at: path) }
    func openForAppend(at path: String, create: Bool) throws(FileIOError) -> any AppendableFile {
        File(file: try disk.openForAppend(at: path, create: create), io: self)
    }
    func writeNewFile(at path: String, contents: [UInt8]) throws(FileIOError) {
        try disk.writeNewFile(at: path, contents: contents)
    }
    func createDirectory(at path: String) throws(FileIOError) { try disk.createDirectory(at: path) }
    func listDirectory(at path: String) throws(FileIOError) -> [String] { try disk.listDirectory(at: path) }
    func rename(from: String, to: String) throws(FileIOError) { try disk.rename(from: from, to: to) }
    func removeFile(at path: String) throws(FileIOError) { try disk.removeFile(at: path) }
    func syncDirectory(at path: String) throws(FileIOError) { try disk.syncDirectory(at: path) }
    func fileKind(at path: String) -> FileKind { disk.fileKind(at: path) }
    func modificationTimeMs(at path: String) throws(FileIOError) -> Int64 { try disk.modificationTimeMs(at: path) }
}

final class Flag: Sendable { let value = Atomic<Bool>(false) }

@Suite struct EngineReadTests {
    func start(_ io: HeldSyncIO) async throws -> Gateway {
        try await Gateway.start(
            data: DataDirectory(root: "/data", io: io), masterKey: .generate(), clock: FixedClock(),
            logger: EngineHarness.quiet)
    }

    @Test func whileABatchIsNotDurableNoReadShowsItAndTheAccessViewIsTheOldOne() async throws {
        let io = HeldSyncIO(disk: SimulatedFileIO(seed: 7))
        let gateway = try await start(io)
        let acme = try await gateway.createOrganization(
            name: "Acme", slug: "acme", plan: "starter", by: EngineHarness.superAdmin).record.id
        let engine = try await gateway.engine(acme)
        #expect(try await engine.read { $0.users.count } == 0)

        io.held.withLock { $0 = true }
        let userID = UserID(randomBytes: Array(repeating: 9, count: 16))
        let created = TenantEvent.userCreated(
            .init(userID: userID, email: "a@acme.co.ke", role: .user, passwordHash: "h"))
        let writer = Task { try await engine.execute { _, _ in Decision(events: [created], value: ()) } }
        while io.waiting.value.load(ordering: .sequentiallyConsistent) == 0 {
            try await Task.sleep(for: .milliseconds(5))
        }
        // The batch is applied in memory and its fsync is held: reads wait, the access view is the durable one.
        let answered = Flag()
        let reader = Task {
            let count = try await engine.read { $0.users.count }
            answered.value.store(true, ordering: .sequentiallyConsistent)
            return count
        }
        try await Task.sleep(for: .milliseconds(200))
        let answeredEarly = answered.value.load(ordering: .sequentiallyConsistent)
        #expect(!answeredEarly, "a read answered while a batch was not durable")
        #expect(engine.accessView.organization != nil)
        #expect(engine.accessView.user(id: userID) == nil)
        #expect(await gateway.activeRole(of: userID, in: acme) == nil)

        io.held.withLock { $0 = false }
        io.release.signal()
        try await writer.value
        #expect(try await reader.value == 1)
        #expect(engine.accessView.user(id: userID)?.email == "a@acme.co.ke")
        #expect(await gateway.activeRole(of: userID, in: acme) == .user)
        #expect(await gateway.activeRole(of: userID, in: acme, tokenID: "jti-x") == .user)
        await gateway.close()
    }
}

extension EngineReadTests {
    @Test func logoutRevokesTheTokenDurablyAndLoginsAreAudited() async throws {
        let harness = try await EngineHarness.start()
        let acme = try await harness.makeOrganization("acme")
        let user = try await harness.gateway.createUser(
            in: acme, email: "u@acme.co.ke", passwordHash: "h", role: .manager, by: EngineHarness.superAdmin)
        let root = try await harness.gateway.createSuperAdmin(email: "root@example.com", passwordHash: "h0")
        let actor = Actor(principal: try Principal(role: .manager, organizationID: acme), id: user.id.rawValue,
                          requestID: "req_out")
        try await harness.gateway.recordLogin(.failed, of: user.id, in: acme, requestID: "req_bad")
        try await harness.gateway.recordLogin(.succeeded, of: user.id, in: acme, requestID: "req_in")
        try await harness.gateway.recordLogin(.succeeded, of: root.id, in: nil, requestID: "req_root")
        let expiry = FixedClock().nowMs() + 3_600_000
        try await harness.gateway.revokeToken("jti-1", of: user.id, in: acme, expiresAtMs: expiry, by: actor)
        try await harness.gateway.revokeToken("jti-1", of: user.id, in: acme, expiresAtMs: expiry, by: actor)
        let rootActor = Actor(principal: try Principal(role: .superAdmin, organizationID: nil), id: root.id.rawValue,
                              requestID: "req_root_out")
        try await harness.gateway.revokeToken("jti-root", of: root.id, in: nil, expiresAtMs: expiry, by: rootActor)
        let unknown = await #expect(throws: EngineError.self) {
            try await harness.gateway.revokeToken(
                "jti-2", of: UserID(randomBytes: Array(repeating: 5, count: 16)), in: acme, expiresAtMs: expiry,
                by: actor)
        }
        #expect(unknown?.code == .notFound)
        #expect(await harness.gateway.activeRole(of: user.id, in: acme, tokenID: "jti-1") == nil)
        #expect(await harness.gateway.activeRole(of: user.id, in: acme, tokenID: "jti-other") == .manager)

        let restarted = try await harness.restarted()
        #expect(await restarted.gateway.activeRole(of: user.id, in: acme, tokenID: "jti-1") == nil)
        #expect(await restarted.gateway.activeRole(of: root.id, in: nil, tokenID: "jti-root") == nil)
        #expect(await restarted.gateway.activeRole(of: root.id, in: nil, tokenID: "jti-new") == .superAdmin)
        let entries = try await restarted.gateway.auditLog(in: acme, after: 0, limit: 50, by: EngineHarness.superAdmin)
            .entries
        let auth = entries.filter { $0.action.hasPrefix("auth.") }
        #expect(auth.map(\.action) == ["auth.login_failed", "auth.login", "auth.logout"])
        #expect(auth.map(\.actor) == ["anonymous", user.id.rawValue, user.id.rawValue])
        #expect(auth.allSatisfy { $0.target == user.id.rawValue })
        #expect(auth.map(\.requestID) == ["req_bad", "req_in", "req_out"])
        let system = try await restarted.gateway.systemAuditLog(after: 0, limit: 50, by: EngineHarness.superAdmin)
            .entries
        #expect(system.filter { $0.action.hasPrefix("auth.") }.map(\.action) == ["auth.login", "auth.logout"])
        #expect(try await restarted.gateway.verifySystemAuditLog(by: EngineHarness.superAdmin).ok)
        let refused = await #expect(throws: EngineError.self) {
            try await restarted.gateway.systemAuditLog(after: 0, limit: 50, by: actor).entries
        }
        #expect(refused?.code == .forbidden)
    }
}
