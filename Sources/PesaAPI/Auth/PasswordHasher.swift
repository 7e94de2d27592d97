import HummingbirdBcrypt
import NIOCore
import PesaCore

/// bcrypt via HummingbirdBcrypt, run by a `BcryptScheduler`: a fixed number of workers on NIO's blocking
/// thread pool (never the cooperative pool: a cost-12 hash takes a quarter of a second), shared fairly between
/// queue keys, so one organization's logins never wait behind another's flood. An unknown email is checked
/// against a dummy hash of the same cost, so answering "wrong password" and "no such user" take the same time.
public struct PasswordHasher: Sendable {
    public let cost: UInt8
    let dummyHash: String
    let scheduler: BcryptScheduler

    /// The queue of work no login waits in: hashes set by operators and administrators.
    public static let operatorQueueKey = "operator"

    /// `cost` defaults to `Limits.bcryptCostDefault` (tests use 4); `workersCount` to the core count. Computes
    /// the dummy hash once.
    public init(cost: Int? = nil, workersCount: Int? = nil) {
        let cost = UInt8(clamping: min(max(cost ?? Limits.bcryptCostDefault, 4), 31))
        self.cost = cost
        self.dummyHash = Bcrypt.hash("pesa-gateway-dummy-password", cost: cost)
        self.scheduler = BcryptScheduler(workersCount: max(1, workersCount ?? System.coreCount))
    }

    /// The queue a login's password check waits in: its account's organization, the super admins' own, or,
    /// for an email no account has, the client's address.
    public static func queueKey(for account: LoginAccount?, address: String?) -> String {
        guard let account else { return "addr:" + (address ?? "unknown") }
        return account.principal.organizationID.map { "org:\($0)" } ?? "system"
    }

    /// A hash for a new password; 422 naming `password` beyond bcrypt's 72 bytes.
    public func hash(_ password: String, queueKey: String = operatorQueueKey) async throws -> String {
        guard password.utf8.count <= Limits.passwordBytesMax else {
            throw APIError.invalidField("password", "password must be at most \(Limits.passwordBytesMax) bytes")
        }
        let cost = self.cost
        return try await scheduler.run(key: queueKey) { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`. A nil hash (unknown user) spends the same time and says false. 429
    /// at once when `queueKey` already has its most jobs waiting.
    public func verify(
        _ password: String, against hash: String?, queueKey: String = operatorQueueKey
    ) async throws -> Bool {
        let tooLong = password.utf8.count > Limits.passwordBytesMax
        let prefix = password.utf8.prefix(Limits.passwordBytesMax)
        let candidate = tooLong ? String(decoding: prefix, as: UTF8.self) : password
        let stored = hash ?? dummyHash
        let matches = try await scheduler.run(key: queueKey) { Bcrypt.verify(candidate, hash: stored) }
        return matches && hash != nil && !tooLong
    }
}
