import Crypto
import Foundation
import PesaCore
import PesaStore
import PesaTesting
import Testing

@testable import PesaEngine

/// First answers kept for `Idempotency-Key`: where they are kept, whose they are, that they survive a restart,
/// and what a master key rotation does to a keyed request hash. API keys and users keep theirs in the same
/// command that creates them.
@Suite struct StoredAnswerTests {
    static let input = IdempotencyInput(key: "k-1", requestHash: "h-1")
    static let answer = StoredAnswer(statusCode: 201, body: #"{"id":"usr_1"}"#, resourceID: "usr_1")

    @Test(arguments: [true, false])
    func aFirstAnswerIsKeptInItsPlaceAndScope(inSystem: Bool) async throws {
        var harness = try await EngineHarness.start()
        let organization = try await harness.makeOrganization("acme")
        let place: AnswerPlace = inSystem ? .system : .organization(organization)
        let scope = Gateway.idempotencyScope("POST /v1/orgs", actor: EngineHarness.superAdmin)
        #expect(scope == "POST /v1/orgs by usr_admin")
        try await harness.gateway.storeAnswer(Self.answer, scope: scope, idempotency: Self.input, in: place)
        let gateway = harness.gateway
        #expect(try await gateway.storedAnswer(scope: scope, idempotency: Self.input, in: place) == Self.answer)
        // The other place, another caller's scope and another body do not get it.
        let elsewhere: AnswerPlace = inSystem ? .organization(organization) : .system
        #expect(try await gateway.storedAnswer(scope: scope, idempotency: Self.input, in: elsewhere) == nil)
        let member = Gateway.idempotencyScope("POST /v1/orgs", actor: EngineHarness.member(.orgAdmin, of: organization))
        #expect(try await gateway.storedAnswer(scope: member, idempotency: Self.input, in: place) == nil)
        let other = await #expect(throws: EngineError.self) {
            try await gateway.storedAnswer(
                scope: scope, idempotency: IdempotencyInput(key: "k-1", requestHash: "h-2"), in: place)
        }
        #expect(other?.code == .idempotencyKeyReused)

        harness = try await harness.restarted()
        #expect(try await harness.gateway.storedAnswer(scope: scope, idempotency: Self.input, in: place) == Self.answer)
    }

    @Test func aPasswordsRequestHashNeedsTheMasterKeyAndSaysWhenItWasRotated() async throws {
        let first = try await EngineHarness.start()
        let second = try await EngineHarness.start()
        let body = Array(#"{"email":"a@b.co","password":"correct horse battery","role":"user"}"#.utf8)
        let hash = first.gateway.keyedRequestHash(body)
        #expect(hash == first.gateway.keyedRequestHash(body))
        #expect(hash.hasPrefix("hmac:\(first.key.id):"))
        #expect(hash.utf8.suffix(64).allSatisfy(Hex.isLowerDigit))
        #expect(hash != second.gateway.keyedRequestHash(body))
        #expect(!hash.contains(Hex.encodeString(SHA256.hash(data: body))))
        #expect(hash != first.gateway.keyedRequestHash(body.dropLast()))

        // The same body after a rotation cannot be compared: the 409 says so.
        let organization = try await first.makeOrganization("acme")
        let scope = "POST /v1/orgs/{id}/users by usr_admin"
        try await first.gateway.storeAnswer(
            Self.answer, scope: scope, idempotency: IdempotencyInput(key: "u", requestHash: hash),
            in: .organization(organization))
        await first.gateway.close()
        first.io.reboot()
        let rotated = try await EngineHarness.start(io: first.io, key: .generate())
        let retry = IdempotencyInput(key: "u", requestHash: rotated.gateway.keyedRequestHash(body))
        let refused = await #expect(throws: EngineError.self) {
            try await rotated.gateway.storedAnswer(scope: scope, idempotency: retry, in: .organization(organization))
        }
        #expect(refused?.code == .idempotencyKeyReused)
        #expect(refused?.message.contains("rotated") == true)
    }

    /// Creates an API key for `actor` with idempotency key `key` and request hash `hash`.
    func createKey(
        _ harness: EngineHarness, in organization: OrganizationID, key: String, hash: String, by actor: Actor
    ) async throws(EngineError) -> APIKeyRecord {
        try await harness.gateway.createAPIKey(
            in: organization, name: "backend", role: .user, environment: "sandbox",
            keyHash: Hex.encodeString(SHA256.hash(data: Array(UUIDText.random().utf8))), keyHint: "pk_test_…abcd",
            idempotency: IdempotencyInput(key: key, requestHash: hash), by: actor)
    }

    @Test func anAPIKeyIsMadeOncePerKeyEvenAtTheSameMomentAndItsRetryIsRefused() async throws {
        var harness = try await EngineHarness.start()
        let organization = try await harness.makeOrganization("acme")
        let admin = EngineHarness.member(.orgAdmin, of: organization)
        let outcomes = await withTaskGroup(of: Result<APIKeyRecord, EngineError>.self) { group in
            for _ in 0..<8 {
                group.addTask { [harness] in
                    do throws(EngineError) {
                        return .success(
                            try await createKey(harness, in: organization, key: "deploy", hash: "h", by: admin))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let made = outcomes.compactMap { try? $0.get() }
        #expect(made.count == 1)
        let id = made.first?.id.rawValue ?? "none"
        for case .failure(let error) in outcomes {
            #expect(error.code == .conflict)
            #expect(error.message.contains(id) && error.message.contains("shown only once"))
        }
        #expect(try await harness.gateway.apiKeys(in: organization, by: admin).count == 1)

        // After a restart: the same is refused, another body is 409 reused, another caller's key is its own.
        harness = try await harness.restarted()
        let again = await #expect(throws: EngineError.self) {
            try await createKey(harness, in: organization, key: "deploy", hash: "h", by: admin)
        }
        #expect(again?.code == .conflict)
        let otherBody = await #expect(throws: EngineError.self) {
            try await createKey(harness, in: organization, key: "deploy", hash: "other", by: admin)
        }
        #expect(otherBody?.code == .idempotencyKeyReused)
        _ = try await createKey(harness, in: organization, key: "deploy", hash: "h", by: EngineHarness.superAdmin)
        #expect(try await harness.gateway.apiKeys(in: organization, by: admin).count == 2)
    }

    @Test func aUserIsMadeOncePerKeyEvenAtTheSameMomentAndARetryAfterARestartGetsIt() async throws {
        var harness = try await EngineHarness.start()
        let organization = try await harness.makeOrganization("acme")
        let admin = EngineHarness.member(.orgAdmin, of: organization)
        let create = {
            @Sendable (gateway: Gateway, key: String, hash: String, actor: Actor) async throws(EngineError) in
            try await gateway.createUser(
                in: organization, email: "Clerk@Acme.test", passwordHash: "bcrypt-hash", role: .user,
                idempotency: IdempotencyInput(key: key, requestHash: hash), by: actor)
        }
        let gateway = harness.gateway
        let outcomes = await withTaskGroup(of: Result<(user: UserRecord, replayed: Bool), EngineError>.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    do throws(EngineError) {
                        return .success(try await create(gateway, "clerk", "h", admin))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let answers = outcomes.compactMap { try? $0.get() }
        #expect(answers.count == 8, "every request with the key is answered: \(outcomes)")
        #expect(answers.filter { !$0.replayed }.count == 1)
        #expect(Set(answers.map(\.user.id)).count == 1)
        let users = try await gateway.users(in: organization, by: admin)
        #expect(users.count == 1)
        // The key is in `user.created` itself: no crash can keep the user without it (each line is recovered alone).
        let folder = "/data/tenants/\(organization.rawValue)/journal"
        let journal = try harness.io.listDirectory(at: folder)
            .map { String(decoding: try harness.io.readFile(at: folder + "/" + $0), as: UTF8.self) }.joined()
        let created = journal.split(separator: "\n").filter { $0.contains(#""type":"user.created""#) }
        #expect(created.count == 1 && created.first?.contains(#""idempotency":{"key":"clerk""#) == true)
        #expect(!journal.contains(#""type":"idempotency.recorded""#))

        // The key was journaled with the user: after a restart the retry gets that user, not "email is taken".
        harness = try await harness.restarted()
        let retry = try await create(harness.gateway, "clerk", "h", admin)
        #expect(retry.replayed && retry.user.id == users.first?.id)
        let otherBody = await #expect(throws: EngineError.self) {
            try await create(harness.gateway, "clerk", "other", admin)
        }
        #expect(otherBody?.code == .idempotencyKeyReused)
        // Another caller's same key is its own key: the email is taken.
        let otherCaller = await #expect(throws: EngineError.self) {
            try await create(harness.gateway, "clerk", "h", EngineHarness.superAdmin)
        }
        #expect(otherCaller?.code == .conflict && otherCaller?.param == "email")
        #expect(try await harness.gateway.users(in: organization, by: admin).count == 1)
        // Once the user is deleted, the retry is told so (409), neither 404 nor a new user.
        let made = try #require(users.first?.id)
        try await harness.gateway.deleteUser(made, in: organization, by: admin)
        let deleted = await #expect(throws: EngineError.self) { try await create(harness.gateway, "clerk", "h", admin) }
        #expect(deleted?.code == .conflict && deleted?.message.contains(made.rawValue) == true)
        #expect(try await harness.gateway.users(in: organization, by: admin).isEmpty)
    }
}

/// A random UUID's text, for unique test values.
enum UUIDText {
    static func random() -> String { Foundation.UUID().uuidString }
}
