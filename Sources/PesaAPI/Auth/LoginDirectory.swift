/// The engine's side of logins: finds the account behind an email (lower-cased and trimmed by the caller; nil
/// when no active user has it), audits login attempts of known accounts in their organization's log, and ends
/// a JWT session at logout so that it is refused from the next request on, restarts included.
public protocol LoginDirectory: Sendable {
    func account(forEmail email: String) async throws -> LoginAccount?
    /// Audits an attempt on a known account (`auth.login` / `auth.login_failed`); never sees the password.
    func recordLogin(succeeded: Bool, account: LoginAccount, requestID: String) async throws
    /// Revokes the JWT `identity` came with (its `jti`) and audits `auth.logout`.
    func logOut(_ identity: Identity, requestID: String) async throws
    /// The account behind a login session, for a password change; nil when the user is gone or disabled.
    func account(of identity: Identity) async throws -> LoginAccount?
    /// Journals the account's new password hash (audited `auth.password_change`) and returns the change's time
    /// (milliseconds): every session issued up to it is over.
    func changePassword(of account: LoginAccount, to passwordHash: String, requestID: String) async throws -> Int64
}
