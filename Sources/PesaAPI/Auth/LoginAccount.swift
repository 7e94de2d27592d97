public import PesaCore

/// A user as login needs it: who they are and their bcrypt hash. Never log it.
public struct LoginAccount: Sendable, CustomStringConvertible {
    public let user: UserID
    public let principal: Principal
    public let passwordHash: String

    public init(user: UserID, principal: Principal, passwordHash: String) {
        self.user = user
        self.principal = principal
        self.passwordHash = passwordHash
    }

    public var description: String { "LoginAccount(\(user), \(principal.role), hash: <redacted>)" }
}
