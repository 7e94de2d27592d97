import Foundation
import Hummingbird
import NIOCore
import HummingbirdTesting
import Logging
import PesaAPI
import PesaCore
import PesaEngine
import Prometheus

/// A gateway router with the foundation's middleware and a few probe routes, driven through
/// `app.test(.router)`.
struct TestApp: Sendable {
    static let signingKey = Array("0123456789abcdef0123456789abcdef-test-key".utf8)
    static let orgA = OrganizationID(randomBytes: Array(repeating: 1, count: 16))
    static let orgB = OrganizationID(randomBytes: Array(repeating: 2, count: 16))
    static let userA = UserID(randomBytes: Array(repeating: 3, count: 16))
    static let keyA = APIKeyID(randomBytes: Array(repeating: 4, count: 16))

    let clock = ManualClock()
    let logs = CapturedLogs()
    let registry = PrometheusCollectorRegistry()
    let accessTokens: AccessTokens
    var apiKeys: any APIKeyResolver = NoAPIKeys()
    var revocation: any TokenRevocationChecker = NoRevocation()
    var ready: Readiness = .ready
    var ratePerMinute: Int64?
    var login: LoginController?
    var sessionCookieName: String?
    var metricsToken: String?

    init() async {
        accessTokens = await AccessTokens(signingKey: Self.signingKey, clock: clock.clock)
    }

    func configuration() -> APIConfiguration {
        let ready = self.ready
        let rate = self.ratePerMinute
        return APIConfiguration(
            accessTokens: accessTokens, apiKeys: apiKeys, revocation: revocation, metricsRegistry: registry,
            readiness: { ready }, rateLimiter: RateLimiter(clock: clock.clock),
            rateLimit: rate == nil ? nil : { @Sendable _ in rate.map { RateLimit(perMinute: $0) } },
            sessionCookieName: sessionCookieName,
            version: "test", metricsToken: metricsToken)
    }

    func router() -> Router<PesaRequestContext> {
        buildRouter(configuration: configuration()) { routes in
            ProbeController().addRoutes(to: routes)
            login?.addRoutes(to: routes)
        }
    }

    /// Runs `body` against the router.
    func test<Value: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        let app = Application(router: router(), logger: logs.logger())
        return try await app.test(.router, body)
    }

    func token(role: Role, organization: OrganizationID?, user: UserID = TestApp.userA) async throws -> String {
        let principal = try Principal(role: role, organizationID: organization)
        return try await accessTokens.issue(user: user, principal: principal).token
    }

    static func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

    static func json(_ text: String) -> (HTTPFields, ByteBuffer) {
        ([.contentType: "application/json"], ByteBuffer(string: text))
    }
}

/// The error object as a test reads it.
struct ErrorBody: Decodable, Equatable {
    struct Inner: Decodable, Equatable {
        let type: String
        let code: String
        let message: String
        let param: String?
        let request_id: String
    }

    let error: Inner

    static func decode(_ response: TestResponse) throws -> Inner {
        try JSONDecoder().decode(ErrorBody.self, from: Data(response.body.readableBytesView)).error
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}
