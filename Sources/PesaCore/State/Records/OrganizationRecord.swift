/// The organization a tenant folder belongs to.
public struct OrganizationRecord: Sendable, Equatable {
    public internal(set) var id: OrganizationID
    public internal(set) var name: String
    public internal(set) var slug: OrgSlug
    public internal(set) var plan: String
    public internal(set) var status: OrganizationStatus
    public internal(set) var subscriptionStatus: SubscriptionStatus
    public internal(set) var currentPeriodStartMs: Int64
    public internal(set) var currentPeriodEndMs: Int64
    /// Requests per minute replacing the plan's, when set.
    public internal(set) var rateLimitOverride: Int64?
    /// The override's burst (bucket capacity); nil: the plan's burst, else a minute's worth. Set only with
    /// `rateLimitOverride`.
    public internal(set) var rateLimitBurstOverride: Int64? = nil
    /// As journaled: sealed (`sealed:v1:…`, opened by the engine's `CallbackTokenSeal`), or plain text when
    /// journaled before callback token keys existed.
    public internal(set) var callbackToken: String
    /// The token before the last rotation, still accepted until `previousCallbackTokenValidUntilMs`: callbacks
    /// of requests already sent to Daraja, and C2B URLs registered before, carry it.
    public internal(set) var previousCallbackToken: String? = nil
    public internal(set) var previousCallbackTokenValidUntilMs: Int64? = nil
    public internal(set) var createdAtMs: Int64
    public internal(set) var updatedAtMs: Int64

    /// The journaled tokens a callback URL may carry at `nowMs`: the current one, and the previous one within its
    /// grace. The engine opens them and compares them with the URL's in constant time.
    public func acceptedCallbackTokens(nowMs: Int64) -> [String] {
        guard let previous = previousCallbackToken, let until = previousCallbackTokenValidUntilMs, nowMs < until else {
            return [callbackToken]
        }
        return [callbackToken, previous]
    }
}
