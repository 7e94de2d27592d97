/// What an `Idempotency-Key` means for a new request: a new key, a replay (same key, same request hash),
/// or a conflict (same key, another request).
public enum IdempotencyMatch<Prior: Sendable & Equatable>: Sendable, Equatable {
    /// Never seen within the window: go ahead.
    case new
    /// Same key, same request: answer as the first time (`Idempotency-Hit: true`).
    case replay(Prior)
    /// Same key, another request: 409.
    case conflict
}
