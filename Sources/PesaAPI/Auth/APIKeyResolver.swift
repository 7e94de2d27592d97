/// Finds the caller behind an API key, given the key's hex SHA-256 (the gateway never sees stored keys).
/// The engine implements it over its tenants' key tables; nil means no such key, or a revoked one.
public protocol APIKeyResolver: Sendable {
    func identity(forKeyHash keyHash: String) async throws -> Identity?
}

/// Knows no key: every API key is refused (tests, or before the engine is up).
public struct NoAPIKeys: APIKeyResolver {
    public init() {}
    public func identity(forKeyHash keyHash: String) async throws -> Identity? { nil }
}
