import Crypto
import PesaStore
public import PesaCore

extension Gateway {
    /// Ready: the system folder is open (tenants load on demand).
    public var isReady: Bool {
        get async { (try? await system.read { _ in true }) ?? false }
    }

    /// The organization's rate limit in requests per minute (its override, else its plan's).
    public func rateLimitPerMinute(of organization: OrganizationID) async throws -> Int64? {
        try await engine(organization).accessView.rateLimitPerMinute
    }
}

extension Gateway {
    /// The key that signs login JWTs: derived from the master key, so restarts keep everyone logged in and
    /// rotating the master key logs everyone out.
    public func jwtSigningKey() -> [UInt8] {
        masterKey.derivedKey(purpose: "jwt-signing", context: "pesa-gateway").withUnsafeBytes { Array($0) }
    }
}
