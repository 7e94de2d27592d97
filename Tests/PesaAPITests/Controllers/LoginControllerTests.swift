import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import PesaAPI
import PesaCore
import Synchronization
import Testing

@Suite struct LoginControllerTests {
    /// Records what the controller asks of the engine: audited attempts and logged-out tokens.
    final class Journal: Sendable {
        let attempts = Mutex<[(succeeded: Bool, user: UserID, requestID: String)]>([])
        let logouts = Mutex<[Identity]>([])
    }

    struct Directory: LoginDirectory {
        let account: LoginAccount
        let journal: Journal

        func account(forEmail email: String) async throws -> LoginAccount? {
            email == "ada@example.co.ke" ? account : nil
        }

        func recordLogin(succeeded: Bool, account: LoginAccount, requestID: String) async throws {
            journal.attempts.withLock { $0.append((succeeded, account.user, requestID)) }
        }

        func logOut(_ identity: Identity, requestID: String) async throws {
            journal.logouts.withLock { $0.append(identity) }
        }

        func account(of identity: Identity) async throws -> LoginAccount? { account }

        func changePassword(of account: LoginAccount, to passwordHash: String, requestID: String) async throws -> Int64
        {
            0
        }
    }

    struct Token: Decodable {
        let access_token: String
        let token_type: String
        let expires_in: Int64
    }

    static let hasher = PasswordHasher(cost: 4)

    func makeApp(
        burst: Int64 = 3, perAddress: Int64 = 100, successes: Int64 = 30, trustsForwardedFor: Bool = false,
        journal: Journal = Journal()
    ) async throws -> TestApp {
        var app = await TestApp()
        let hash = try await Self.hasher.hash("s3cret-pass")
        let account = LoginAccount(
            user: TestApp.userA, principal: try Principal(role: .orgAdmin, organizationID: TestApp.orgA),
            passwordHash: hash)
        app.login = LoginController(
            accessTokens: app.accessTokens, passwordHasher: Self.hasher,
            throttle: LoginThrottle(
                perEmailAndAddress: .init(burstCount: burst, refillPerMinute: 1),
                perAddress: .init(burstCount: perAddress, refillPerMinute: 1),
                successesPerUser: .init(burstCount: successes, refillPerMinute: 1), clock: app.clock.clock),
            directory: Directory(account: account, journal: journal), trustsForwardedFor: trustsForwardedFor)
        return app
    }

    static func body(_ email: String, _ password: String) -> ByteBuffer {
        ByteBuffer(string: #"{"email":"\#(email)","password":"\#(password)"}"#)
    }

    static let json: HTTPFields = [.contentType: "application/json"]

    @Test func rightPasswordGivesAWorkingToken() async throws {
        let app = try await makeApp()
        try await app.test { client in
            let token = try await client.execute(
                uri: "/v1/auth/login", method: .post, headers: Self.json,
                body: Self.body(" Ada@Example.co.ke", "s3cret-pass")
            ) { response in
                #expect(response.status == .ok)
                return try JSONDecoder().decode(Token.self, from: Data(response.body.readableBytesView))
            }
            #expect(token.token_type == "Bearer")
            #expect(token.expires_in == Limits.accessTokenLifetimeSeconds)
            try await client.execute(uri: "/v1/whoami", method: .get, headers: TestApp.bearer(token.access_token)) {
                #expect($0.status == .ok)
                #expect($0.text.contains("\"role\":\"org_admin\""))
            }
        }
        #expect(!app.logs.all.contains { $0.contains("s3cret-pass") })
    }

    @Test func wrongPasswordAndUnknownEmailAreTheSame401() async throws {
        let app = try await makeApp()
        let messages = try await app.test { client in
            var messages: [String] = []
            for (email, password) in [("ada@example.co.ke", "wrong"), ("nobody@example.co.ke", "s3cret-pass")] {
                let message = try await client.execute(
                    uri: "/v1/auth/login", method: .post, headers: Self.json, body: Self.body(email, password)
                ) { response in
                    #expect(response.status == .unauthorized)
                    return try ErrorBody.decode(response).message
                }
                messages.append(message)
            }
            return messages
        }
        #expect(messages.count == 2 && messages[0] == messages[1])
    }

    @Test func repeatedFailuresAreThrottledEvenWithTheRightPassword() async throws {
        let app = try await makeApp(burst: 3)
        try await app.test { client in
            for _ in 0..<3 {
                try await client.execute(
                    uri: "/v1/auth/login", method: .post, headers: Self.json, body: Self.body("ada@example.co.ke", "x")
                ) { #expect($0.status == .unauthorized) }
            }
            try await client.execute(
                uri: "/v1/auth/login", method: .post, headers: Self.json,
                body: Self.body("ada@example.co.ke", "s3cret-pass")
            ) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.retryAfter] == "60")
                #expect(response.headers[values: .rateLimitLimit] == ["3"])
                let error = try ErrorBody.decode(response)
                #expect(error.code == "RATE_LIMITED")
            }
        }
    }

    /// A login sent with a token (the organization's rate limit applies to it) keeps the throttle's headers,
    /// once each.
    @Test func aThrottledLoginWithATokenCarriesOneSetOfRateLimitHeaders() async throws {
        var app = try await makeApp(burst: 1)
        app.ratePerMinute = 100
        let token = try await app.token(role: .user, organization: TestApp.orgA)
        var headers = Self.json
        headers.append(contentsOf: TestApp.bearer(token))
        try await app.test { [headers] client in
            try await client.execute(
                uri: "/v1/auth/login", method: .post, headers: headers, body: Self.body("ada@example.co.ke", "x")
            ) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[values: .rateLimitLimit] == ["100"])
            }
            try await client.execute(
                uri: "/v1/auth/login", method: .post, headers: headers, body: Self.body("ada@example.co.ke", "x")
            ) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[values: .rateLimitLimit] == ["1"])
                #expect(response.headers[values: .rateLimitRemaining] == ["0"])
                #expect(response.headers[values: .retryAfter].count == 1)
            }
        }
    }

    @Test func badBodiesAre400Or422() async throws {
        let app = try await makeApp()
        try await app.test { client in
            try await client.execute(
                uri: "/v1/auth/login", method: .post, headers: Self.json,
                body: ByteBuffer(string: #"{"email":"a@b.c"}"#)
            ) { response in
                #expect(response.status == .unprocessableContent)
                let error = try ErrorBody.decode(response)
                #expect(error.param == "password")
            }
            try await client.execute(
                uri: "/v1/auth/login", method: .post, headers: Self.json, body: ByteBuffer(string: "{")
            ) { #expect($0.status == .badRequest) }
            try await client.execute(
                uri: "/v1/auth/login", method: .post, headers: Self.json, body: Self.body("", "x")
            ) { response in
                let error = try ErrorBody.decode(response)
                #expect(error.param == "email")
            }
        }
    }

    @Test func forwardedForIsTheThrottledAddressOnlyWhenTrusted() async throws {
        for trusted in [true, false] {
            let app = try await makeApp(burst: 100, perAddress: 2, trustsForwardedFor: trusted)
            try await app.test { client in
                for index in 0..<3 {
                    var headers = Self.json
                    headers[.forwardedFor] = "203.0.113.\(index % 2 == 0 ? 7 : 8), 10.0.0.1"
                    let sendable = headers
                    try await client.execute(
                        uri: "/v1/auth/login", method: .post, headers: sendable,
                        body: Self.body("user\(index)@example.co.ke", "x")
                    ) { #expect($0.status == .unauthorized) }
                }
                var headers = Self.json
                headers[.forwardedFor] = "203.0.113.7"
                let sendable = headers
                try await client.execute(
                    uri: "/v1/auth/login", method: .post, headers: sendable, body: Self.body("new@example.co.ke", "x")
                ) { response in
                    // Trusted: 203.0.113.7 failed twice, throttled. Untrusted: the router test has no peer address.
                    #expect(response.status == (trusted ? .tooManyRequests : .unauthorized))
                }
            }
        }
    }
}

extension LoginControllerTests {
    @Test func attemptsOnAKnownAccountAreAuditedAndUnknownOrThrottledOnesOnlyLogged() async throws {
        let journal = Journal()
        let app = try await makeApp(burst: 2, journal: journal)
        try await app.test { client in
            for (email, password, status) in [
                ("ada@example.co.ke", "s3cret-pass", HTTPResponse.Status.ok),
                ("ada@example.co.ke", "wrong-pass-1", .unauthorized),
                ("nobody@example.co.ke", "wrong-pass-2", .unauthorized),
                ("ada@example.co.ke", "wrong-pass-3", .unauthorized),
                ("ada@example.co.ke", "s3cret-pass", .tooManyRequests),
            ] {
                try await client.execute(
                    uri: "/v1/auth/login", method: .post, headers: Self.json, body: Self.body(email, password)
                ) { response in
                    #expect(response.status == status, "\(email) \(password)")
                    if status == .tooManyRequests { #expect(response.headers[.retryAfter] != nil) }
                }
            }
        }
        let attempts = journal.attempts.withLock { $0 }
        #expect(attempts.map(\.succeeded) == [true, false, false])
        #expect(attempts.allSatisfy { $0.user == TestApp.userA && $0.requestID.hasPrefix("req_") })
        let logs = app.logs.all
        #expect(
            logs.contains { $0.contains("login refused: no active account") && $0.contains("nobody@example.co.ke") })
        #expect(logs.contains { $0.contains("login throttled") && $0.contains("ada@example.co.ke") })
        #expect(!logs.contains { $0.contains("wrong-pass") || $0.contains("s3cret-pass") })
    }

    @Test func logoutHandsTheTokensIdentityToTheDirectoryAndAnswers204() async throws {
        let journal = Journal()
        let app = try await makeApp(journal: journal)
        let issued = try await app.accessTokens.issue(
            user: TestApp.userA, principal: try Principal(role: .manager, organizationID: TestApp.orgA))
        try await app.test { client in
            try await client.execute(uri: "/v1/auth/logout", method: .post, headers: TestApp.bearer(issued.token)) {
                #expect($0.status == .noContent)
                #expect($0.body.readableBytes == 0)
            }
            let refused = try await client.execute(uri: "/v1/auth/logout", method: .post)
            #expect(refused.status == .unauthorized)
            #expect(try ErrorBody.decode(refused).code == "UNAUTHENTICATED")
        }
        let logouts = journal.logouts.withLock { $0 }
        #expect(logouts.count == 1)
        #expect(logouts.first?.tokenID == issued.tokenID)
        #expect(logouts.first?.tokenExpiresAtSeconds == app.clock.clock.nowSeconds + issued.expiresInSeconds)
    }
}

extension LoginControllerTests {
    /// Wrong passwords from one address refuse that address only: the right password from another gets in.
    @Test func failuresFromOneAddressLeaveTheRightPasswordFromAnother() async throws {
        let app = try await makeApp(burst: 2, trustsForwardedFor: true)
        @Sendable func headers(_ address: String) -> HTTPFields {
            var headers = Self.json
            headers[.forwardedFor] = address
            return headers
        }
        try await app.test { client in
            for _ in 0..<5 {
                _ = try await client.execute(
                    uri: "/v1/auth/login", method: .post, headers: headers("203.0.113.7"),
                    body: Self.body("ada@example.co.ke", "x"))
            }
            try await client.execute(
                uri: "/v1/auth/login", method: .post, headers: headers("203.0.113.7"),
                body: Self.body("ada@example.co.ke", "s3cret-pass")
            ) { #expect($0.status == .tooManyRequests) }
            try await client.execute(
                uri: "/v1/auth/login", method: .post, headers: headers("198.51.100.4"),
                body: Self.body("ada@example.co.ke", "s3cret-pass")
            ) { #expect($0.status == .ok) }
        }
    }
}

extension LoginControllerTests {
    /// Past a user's successful logins, the right password gets 429 with `Retry-After`, no token and no audit.
    @Test func aUsersSuccessfulLoginsAreLimited() async throws {
        let journal = Journal()
        let app = try await makeApp(successes: 2, journal: journal)
        try await app.test { client in
            for status in [HTTPResponse.Status.ok, .ok, .tooManyRequests] {
                try await client.execute(
                    uri: "/v1/auth/login", method: .post, headers: Self.json,
                    body: Self.body("ada@example.co.ke", "s3cret-pass")
                ) { response in
                    #expect(response.status == status)
                    if status == .tooManyRequests {
                        #expect(response.headers[.retryAfter] == "60")
                        let error = try ErrorBody.decode(response)
                        #expect(error.code == "RATE_LIMITED")
                        #expect(!response.text.contains("access_token"))
                    }
                }
            }
        }
        let attempts = journal.attempts.withLock { $0 }
        #expect(attempts.map(\.succeeded) == [true, true])
    }
}
