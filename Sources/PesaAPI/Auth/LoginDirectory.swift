/// Finds the account behind a login email (lower-cased and trimmed by the caller). The engine implements it
/// over its tenants' users; nil when no active user has that email.
public protocol LoginDirectory: Sendable {
    func account(forEmail email: String) async throws -> LoginAccount?
}
