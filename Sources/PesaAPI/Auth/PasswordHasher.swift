import HummingbirdBcrypt
import NIOPosix
import PesaCore

/// bcrypt via HummingbirdBcrypt, run on NIO's blocking thread pool (never on the cooperative pool: a
/// cost-12 hash takes a quarter of a second). An unknown email is checked against a dummy hash of the same
/// cost, so answering "wrong password" and "no such user" take the same time.
public struct PasswordHasher: Sendable {
    public let cost: UInt8
    let dummyHash: String

    /// `cost` defaults to `Limits.bcryptCostDefault` (tests use 4). Computes the dummy hash once.
    public init(cost: Int? = nil) {
        let cost = UInt8(clamping: min(max(cost ?? Limits.bcryptCostDefault, 4), 31))
        self.cost = cost
        self.dummyHash = Bcrypt.hash("pesa-gateway-dummy-password", cost: cost)
    }

    /// A hash for a new password; 422 naming `password` beyond bcrypt's 72 bytes.
    public func hash(_ password: String) async throws -> String {
        guard password.utf8.count <= Limits.passwordBytesMax else {
            throw APIError.invalidField("password", "password must be at most \(Limits.passwordBytesMax) bytes")
        }
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`. A nil hash (unknown user) spends the same time and says false.
    public func verify(_ password: String, against hash: String?) async throws -> Bool {
        let tooLong = password.utf8.count > Limits.passwordBytesMax
        let prefix = password.utf8.prefix(Limits.passwordBytesMax)
        let candidate = tooLong ? String(decoding: prefix, as: UTF8.self) : password
        let stored = hash ?? dummyHash
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(candidate, hash: stored) }
        return matches && hash != nil && !tooLong
    }
}
