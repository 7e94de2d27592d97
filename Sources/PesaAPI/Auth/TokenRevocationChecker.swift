/// Says whether a JWT that verified is nonetheless dead: its user was deleted, disabled or given another role,
/// its `jti` was revoked at logout, or the user's password changed after it was issued. Asked on every request
/// (nothing caches the answer), so it must be cheap: the engine answers from its published access view,
/// without waiting behind writes.
public protocol TokenRevocationChecker: Sendable {
    func isRevoked(_ token: VerifiedAccessToken) async throws -> Bool
}

/// Revokes nothing.
public struct NoRevocation: TokenRevocationChecker {
    public init() {}
    public func isRevoked(_ token: VerifiedAccessToken) async throws -> Bool { false }
}
