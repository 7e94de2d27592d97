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
    /// As journaled: sealed (`sealed:v1:…`, opened by the engine's `CallbackTokenSeal`), or plain text when
    /// journaled before callback token keys existed.
    public internal(set) var callbackToken: String
    /// The token before the last rotation, still accepted until `previousCallbackTokenValidUntilMs`: callbacks
    /// of requests already sent to Daraja, and C2B URLs registered before, carry it.
    public internal(set) var previousCallbackToken: String? = nil
    public internal(set) var previousCallbackTokenValidUntilMs: Int64? = nil
    public internal(set) var createdAtMs: Int64
    public internal(set) var updatedAtMs: Int64

    /// Whether a callback URL's token is this organization's at `nowMs`: the current one, or the previous one
    /// within its grace. `open` gives the token a journaled value stands for (nil: cannot be opened). Compared in
    /// constant time.
    public func acceptsCallbackToken(_ token: String, nowMs: Int64, open: (String) -> String? = { $0 }) -> Bool {
        if let current = open(callbackToken), Self.constantTimeEqual(current, token) { return true }
        guard let previous = previousCallbackToken, let until = previousCallbackTokenValidUntilMs, nowMs < until,
            let opened = open(previous)
        else { return false }
        return Self.constantTimeEqual(opened, token)
    }

    /// Equal texts, in a time that does not depend on where they differ.
    public static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
