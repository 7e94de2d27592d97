import Foundation
import PesaCore
import PesaStore
import PesaTesting
import Testing

@testable import PesaEngine

/// `execute(_:thenRead:)`: the answer is read from the state right after the command's events were applied,
/// and given only once they are durable.
@Suite struct EngineThenReadTests {
    static func userCreated(_ fill: UInt8) -> (UserID, TenantEvent) {
        let id = UserID(randomBytes: Array(repeating: fill, count: 16))
        return (id, .userCreated(.init(userID: id, email: "u\(fill)@acme.co.ke", role: .user, passwordHash: "h")))
    }

    @Test func theReadSeesTheCommandsOwnEvents() async throws {
        let harness = try await EngineHarness.start()
        let acme = try await harness.makeOrganization("acme")
        let engine = try await harness.gateway.engine(acme)
        let (id, created) = Self.userCreated(1)
        let (before, email) = try await engine.execute { (state, _) throws(EngineError) in
            Decision(events: [created], value: state.users.count)
        } thenRead: { (state, before) throws(EngineError) in
            guard let user = state.users[id] else { throw EngineError.notFound("user") }
            return (before, user.email)
        }
        #expect(before == 0)
        #expect(email == "u1@acme.co.ke")
        // Durable: it survives a restart.
        let restarted = try await harness.restarted()
        let users = try await restarted.gateway.users(in: acme, by: EngineHarness.member(.orgAdmin, of: acme))
        #expect(users.map(\.email) == ["u1@acme.co.ke"])
    }

    @Test func aRefusedWriteAnswersTheErrorNotTheRead() async throws {
        let harness = try await EngineHarness.start()
        let acme = try await harness.makeOrganization("acme")
        let engine = try await harness.gateway.engine(acme)
        let (_, created) = Self.userCreated(2)
        harness.io.inject(.init(.append, pathContains: acme.rawValue, errno: 28, partialBytes: 10, times: 1))
        let error = await #expect(throws: EngineError.self) {
            try await engine.execute { (_, _) throws(EngineError) in
                Decision(events: [created], value: ())
            } thenRead: { (state, _) throws(EngineError) in
                state.users.count
            }
        }
        #expect(error?.code == .storageUnavailable)
        #expect(try await engine.read { $0.users.count } == 0)
    }

    @Test func aRefusalFromTheReadIsTheAnswer() async throws {
        let harness = try await EngineHarness.start()
        let acme = try await harness.makeOrganization("acme")
        let engine = try await harness.gateway.engine(acme)
        let error = await #expect(throws: EngineError.self) {
            try await engine.execute { (_, _) throws(EngineError) in
                Decision(value: ())
            } thenRead: { (_, _) throws(EngineError) -> Int in
                throw EngineError.notFound("payment")
            }
        }
        #expect(error?.code == .notFound)
    }
}
