import PesaCore
import PesaEngine
import Synchronization

/// The dashboard's browser sessions, built on the API's login tokens.
///
/// `POST /ui/login` logs in through the API's own login (`LoginController.logIn`: the same password check,
/// throttle and audit as `POST /v1/auth/login`) and puts the JWT it gets in the session cookie (`pesa_session`:
/// HttpOnly, SameSite=Lax, Path=/ui, Secure over HTTPS). The `Authenticator` verifies that cookie and checks its
/// revocation exactly as it does a bearer token, so a disabled user, a changed password or a logout ends the
/// session at once. This table keeps what a browser session needs besides, keyed by the token's `jti`: the
/// email shown in the header, the CSRF token of its forms, its start and its last request. A session idle for
/// `idleMs` (30 minutes) or older than `absoluteMs` (12 hours, the JWT's own lifetime too) has expired; the
/// pages then revoke its token and ask to log in again. A token this table does not know (a token of the JSON
/// API put in a cookie by hand, or a session from before a restart) is no dashboard session. In memory and
/// bounded: past `countMax` sessions, the least recently used one is dropped.
public final class DashboardSessions: Sendable {
    public struct Session: Sendable, Equatable {
        public let email: String
        public let csrfToken: String
        public let startedMs: Int64
        public var lastSeenMs: Int64
    }

    /// What a token is to the dashboard.
    public enum Lookup: Sendable, Equatable {
        case active(Session)
        /// It was a session, now idle or too old (and forgotten).
        case expired
        case unknown
    }

    public static let idleMsDefault: Int64 = 30 * 60 * 1000
    public static let absoluteMsDefault: Int64 = Limits.accessTokenLifetimeSeconds * 1000

    private let sessions = Mutex<[String: Session]>([:])
    let clock: APIClock
    let idleMs: Int64
    let absoluteMs: Int64
    let countMax: Int

    public init(
        clock: APIClock = .system, idleMs: Int64 = DashboardSessions.idleMsDefault,
        absoluteMs: Int64 = DashboardSessions.absoluteMsDefault, countMax: Int = 100_000
    ) {
        self.clock = clock
        self.idleMs = idleMs
        self.absoluteMs = absoluteMs
        self.countMax = max(countMax, 1)
    }

    /// Starts the session of a token just issued, with a new CSRF token.
    func open(tokenID: String, email: String) -> Session {
        let nowMs = clock.nowMs()
        let session = Session(email: email, csrfToken: Self.randomToken(), startedMs: nowMs, lastSeenMs: nowMs)
        sessions.withLock { table in
            if table.count >= countMax, let oldest = table.min(by: { $0.value.lastSeenMs < $1.value.lastSeenMs }) {
                table[oldest.key] = nil
            }
            table[tokenID] = session
        }
        return session
    }

    /// The session of `tokenID`, its last request moved to now; an expired one is forgotten.
    func touch(tokenID: String) -> Lookup {
        let nowMs = clock.nowMs()
        return sessions.withLock { table in
            guard var session = table[tokenID] else { return .unknown }
            guard nowMs - session.lastSeenMs <= idleMs, nowMs - session.startedMs <= absoluteMs else {
                table[tokenID] = nil
                return .expired
            }
            session.lastSeenMs = nowMs
            table[tokenID] = session
            return .active(session)
        }
    }

    func close(tokenID: String) {
        sessions.withLock { $0[tokenID] = nil }
    }

    /// 32 random bytes, base64url: CSRF tokens.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return Base64URL.encode((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// Whether `text` has the shape of `randomToken()`'s tokens (a cookie's value is taken only then).
    static func isWellFormed(_ text: String) -> Bool {
        text.utf8.count == 43
            && text.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: "_")
            }
    }

    /// Constant-time equality of two tokens.
    static func same(_ lhs: String, _ rhs: String) -> Bool {
        ConstantTime.equals(Array(lhs.utf8), Array(rhs.utf8))
    }
}
