/// Says whether a JWT that verified is nonetheless dead: its user was deleted or demoted, its `jti` was
/// revoked at logout, or it was issued before the user's password changed. The engine implements it.
public protocol TokenRevocationChecker: Sendable {
    func isRevoked(_ token: VerifiedAccessToken) async throws -> Bool
}

/// Revokes nothing.
public struct NoRevocation: TokenRevocationChecker {
    public init() {}
    public func isRevoked(_ token: VerifiedAccessToken) async throws -> Bool { false }
}
