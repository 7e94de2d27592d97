/// What is known outside the vault about the organization's Daraja credentials.
public struct CredentialsRecord: Sendable, Equatable {
    public internal(set) var version: Int64
    public internal(set) var environment: String
    public internal(set) var businessShortCode: String
    /// Field name -> masked value.
    public internal(set) var hints: [String: String]
    public internal(set) var updatedAtMs: Int64
}
