import Crypto
import PesaCore
import PesaStore
import PesaTesting
import Testing

@testable import PesaEngine

/// First answers kept for `Idempotency-Key`: one that holds a secret is journaled sealed, opens again after a
/// restart, and after a master key rotation is refused rather than guessed at; a password's request hash is
/// keyed by the master key.
@Suite struct StoredAnswerTests {
    static let input = IdempotencyInput(key: "k-1", requestHash: "h-1")
    static let answer = StoredAnswer(statusCode: 201, body: #"{"id":"key_1","key":"pk_test_SECRET-VALUE"}"#)

    /// The bytes of every journal segment of a folder.
    func journalText(_ harness: EngineHarness, folder: String) throws -> String {
        let directory = "/data/\(folder)/journal"
        return try harness.io.listDirectory(at: directory).sorted().map { name in
            String(decoding: try harness.io.readFile(at: directory + "/" + name), as: UTF8.self)
        }.joined()
    }

    @Test(arguments: [true, false])
    func aSealedAnswerOpensAgainAndIsNotInTheClear(inSystem: Bool) async throws {
        var harness = try await EngineHarness.start()
        let organization = try await harness.makeOrganization("acme")
        let place: AnswerPlace = inSystem ? .system : .organization(organization)
        let folder = inSystem ? "system" : "tenants/\(organization.rawValue)"
        try await harness.gateway.storeAnswer(
            Self.answer, sealed: true, scope: "POST /v1/api-keys", idempotency: Self.input, resourceID: "key_1",
            in: place)
        #expect(try await harness.gateway.storedAnswer(scope: "POST /v1/api-keys", idempotency: Self.input, in: place)
            == Self.answer)
        let journal = try journalText(harness, folder: folder)
        #expect(!journal.contains("SECRET-VALUE"))
        #expect(journal.contains(#""response_body":"sealed:"#))
        // The other place, the other scope and another body do not get it.
        let elsewhere: AnswerPlace = inSystem ? .organization(organization) : .system
        let gateway = harness.gateway
        #expect(
            try await gateway.storedAnswer(scope: "POST /v1/api-keys", idempotency: Self.input, in: elsewhere) == nil)
        #expect(try await gateway.storedAnswer(scope: "POST /v1/orgs", idempotency: Self.input, in: place) == nil)
        let other = await #expect(throws: EngineError.self) {
            try await harness.gateway.storedAnswer(
                scope: "POST /v1/api-keys", idempotency: IdempotencyInput(key: "k-1", requestHash: "h-2"), in: place)
        }
        #expect(other?.code == .idempotencyKeyReused)

        harness = try await harness.restarted()
        #expect(try await harness.gateway.storedAnswer(scope: "POST /v1/api-keys", idempotency: Self.input, in: place)
            == Self.answer)

        // Under another master key the sealed answer does not open: 409, never a wrong answer.
        await harness.gateway.close()
        harness.io.reboot()
        let rotated = try await EngineHarness.start(io: harness.io, key: .generate())
        let refused = await #expect(throws: EngineError.self) {
            try await rotated.gateway.storedAnswer(scope: "POST /v1/api-keys", idempotency: Self.input, in: place)
        }
        #expect(refused?.code == .idempotencyKeyReused)
        #expect(refused?.message.contains("master key") == true)
    }

    @Test func aPlainAnswerIsJournaledAsItIs() async throws {
        let harness = try await EngineHarness.start()
        let organization = try await harness.makeOrganization("acme")
        let plain = StoredAnswer(statusCode: 202, body: #"{"id":"qry_1","status":"pending"}"#)
        try await harness.gateway.storeAnswer(
            plain, sealed: false, scope: "POST /v1/balance-checks", idempotency: Self.input, resourceID: "qry_1",
            in: .organization(organization))
        #expect(try journalText(harness, folder: "tenants/\(organization.rawValue)").contains(#"\"qry_1\""#))
        #expect(
            try await harness.gateway.storedAnswer(
                scope: "POST /v1/balance-checks", idempotency: Self.input, in: .organization(organization)) == plain)
    }

    @Test func aPasswordsRequestHashNeedsTheMasterKey() async throws {
        let first = try await EngineHarness.start()
        let second = try await EngineHarness.start()
        let body = Array(#"{"email":"a@b.co","password":"correct horse battery","role":"user"}"#.utf8)
        let hash = first.gateway.keyedRequestHash(body)
        #expect(hash == first.gateway.keyedRequestHash(body))
        #expect(hash.count == 64 && hash.utf8.allSatisfy(Hex.isLowerDigit))
        #expect(hash != second.gateway.keyedRequestHash(body))
        #expect(hash != Hex.encodeString(SHA256.hash(data: body)))
        #expect(hash != first.gateway.keyedRequestHash(body.dropLast()))
    }
}
