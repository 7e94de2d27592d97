/// One OAuth token per client, refreshed shortly before it expires, fetched single-flight:
/// however many requests need a token at once, one token request goes to Daraja.
actor AccessTokenCache {
    struct Token: Sendable {
        let value: DarajaSecret
        let refreshAt: ContinuousClock.Instant
    }

    private enum State {
        case empty
        case fetching(Task<Token, any Error>)
        case ready(Token)
    }

    private var state: State = .empty
    private let clock = ContinuousClock()

    /// A valid token, fetching one with `fetch` only when none is cached or being fetched.
    func token(fetch: @escaping @Sendable () async throws(DarajaError) -> Token) async throws(DarajaError) -> Token {
        switch state {
        case .ready(let token) where token.refreshAt > clock.now:
            return token
        case .fetching(let task):
            return try await Self.value(of: task)
        case .ready, .empty:
            let task = Task<Token, any Error> { try await fetch() }
            state = .fetching(task)
            do {
                let token = try await Self.value(of: task)
                if case .fetching = state { state = .ready(token) }
                return token
            } catch {
                if case .fetching = state { state = .empty }
                throw error
            }
        }
    }

    /// Forget `token` after Daraja called it invalid, unless a newer one already replaced it.
    func invalidate(_ token: Token) {
        if case .ready(let current) = state, current.value == token.value {
            state = .empty
        }
    }

    private static func value(of task: Task<Token, any Error>) async throws(DarajaError) -> Token {
        do {
            return try await task.value
        } catch let error as DarajaError {
            throw error
        } catch {
            throw .transport("token request failed", cause: nil)
        }
    }
}
