import PesaCore
import Synchronization

/// JWTs whose signature and claims were already checked, by the exact token text, so that a session's
/// requests skip the HMAC and the JSON decoding after the first one. It holds only facts that cannot change
/// (a signature stays valid, the claims are inside it): expiry is checked again on every hit, and whether the
/// token is revoked (logout, user deleted, disabled or demoted) is asked of the `TokenRevocationChecker` on
/// every request, so nothing here needs invalidating. Bounded: when full, expired entries go first, then the
/// whole table (the next requests verify again).
final class VerifiedTokenCache: Sendable {
    private let entries = Mutex<[String: VerifiedAccessToken]>([:])
    let countMax: Int

    /// `countMax` defaults to `Limits.verifiedTokenCacheCountMax`.
    init(countMax: Int? = nil) {
        let countMax = countMax ?? Limits.verifiedTokenCacheCountMax
        precondition(countMax >= 1, "a token cache holds at least one token")
        self.countMax = countMax
    }

    /// The verified token, if `token` was verified before and has not expired at `nowSeconds`.
    func token(_ token: String, nowSeconds: Int64) -> VerifiedAccessToken? {
        guard let verified = entries.withLock({ $0[token] }) else { return nil }
        guard verified.expiresAtSeconds > nowSeconds else {
            entries.withLock { _ = $0.removeValue(forKey: token) }
            return nil
        }
        return verified
    }

    func insert(_ verified: VerifiedAccessToken, for token: String, nowSeconds: Int64) {
        entries.withLock { entries in
            if entries[token] == nil, entries.count >= countMax {
                entries = entries.filter { $0.value.expiresAtSeconds > nowSeconds }
                if entries.count >= countMax { entries.removeAll(keepingCapacity: true) }
            }
            entries[token] = verified
        }
    }

    var count: Int { entries.withLock { $0.count } }
}
