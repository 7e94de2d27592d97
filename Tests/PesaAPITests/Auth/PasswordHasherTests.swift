import PesaAPI
import PesaCore
import Testing

@Suite struct PasswordHasherTests {
    let hasher = PasswordHasher(cost: 4)

    @Test func hashesVerifyAndDiffer() async throws {
        let hash = try await hasher.hash("correct horse")
        #expect(hash.hasPrefix("$2"))
        #expect(try await hasher.verify("correct horse", against: hash))
        #expect(try await !hasher.verify("wrong horse", against: hash))
        #expect(try await hasher.hash("correct horse") != hash)  // salted
    }

    @Test func unknownUserVerifiesAgainstTheDummyAndFails() async throws {
        #expect(try await !hasher.verify("pesa-gateway-dummy-password", against: nil))
        #expect(try await !hasher.verify("anything", against: nil))
    }

    @Test func overlongPasswordsAreRefused() async throws {
        let long = String(repeating: "a", count: Limits.passwordBytesMax + 1)
        await #expect(throws: APIError.self) { try await hasher.hash(long) }
        let hash = try await hasher.hash(String(long.dropLast()))
        #expect(try await !hasher.verify(long, against: hash))
    }
}

extension PasswordHasherTests {
    /// A login waits in its organization's queue, a super admin's in the super admins' own, and an unknown
    /// email's in its client address's.
    @Test func loginsQueueByOrganizationOrByAddress() throws {
        let member = LoginAccount(
            user: TestApp.userA, principal: try Principal(role: .manager, organizationID: TestApp.orgA),
            passwordHash: "")
        let root = LoginAccount(
            user: TestApp.userA, principal: try Principal(role: .superAdmin, organizationID: nil), passwordHash: "")
        #expect(PasswordHasher.queueKey(for: member, address: "10.0.0.1") == "org:\(TestApp.orgA)")
        #expect(PasswordHasher.queueKey(for: root, address: "10.0.0.1") == "system")
        #expect(PasswordHasher.queueKey(for: nil, address: "10.0.0.1") == "addr:10.0.0.1")
        #expect(PasswordHasher.queueKey(for: nil, address: nil) != PasswordHasher.queueKey(for: member, address: nil))
    }
}
