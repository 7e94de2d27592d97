import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PesaAPI
import PesaCore
import PesaEngine
import PesaStore
import PesaTesting
import Prometheus
import Testing

/// Rate limits through the real router and engine, with the limiter's time in the test's hands: overrides set by
/// `PATCH /v1/orgs/{id}` (a number, `{per_minute, burst}`, null), API keys' own limits, isolation between keys,
/// organizations and Daraja's callbacks, and the 422s of bad shapes.
@Suite struct RateLimitRouteTests {
    /// A gateway on a simulated disk, its API with a manual clock, a super admin and two organizations.
    struct Harness {
        let gateway: Gateway
        let api: GatewayAPI
        let clock: ManualClock
        let admin: String
        let acme: OrganizationView
        let globex: OrganizationView

        static func start() async throws -> Harness {
            let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
            let gateway = try await Gateway.start(
                data: DataDirectory(root: "/data", io: SimulatedFileIO(seed: 31)), masterKey: .generate(),
                logger: logger)
            let clock = ManualClock()
            let api = await GatewayAPI.make(
                gateway: gateway, metricsRegistry: PrometheusCollectorRegistry(), bcryptCost: 4,
                rateLimitClock: clock.clock)
            let root = Actor(
                principal: try Principal(role: .superAdmin, organizationID: nil), id: "usr_root", requestID: "req_t")
            // The free plan: 60 requests a minute, a minute's worth at once.
            let acme = try await gateway.createOrganization(name: "Acme", slug: "acme", plan: "free", by: root)
            let globex = try await gateway.createOrganization(name: "Globex", slug: "globex", plan: "free", by: root)
            let user = try await gateway.createSuperAdmin(email: "root@x.co", passwordHash: "h")
            let token = try await api.accessTokens.issue(
                user: user.id, principal: try Principal(role: .superAdmin, organizationID: nil))
            return Harness(gateway: gateway, api: api, clock: clock, admin: token.token, acme: acme, globex: globex)
        }

        func test<Value: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws
            -> Value
        {
            let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
            return try await Application(router: api.buildRouter(), logger: logger).test(.router, body)
        }
    }

    static func bearer(_ token: String, json: Bool = false) -> HTTPFields {
        var fields: HTTPFields = [.authorization: "Bearer \(token)"]
        if json { fields[.contentType] = "application/json" }
        return fields
    }

    static func object(_ response: TestResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    /// `PATCH /v1/orgs/{id}` with `body` as the super admin.
    static func patch(_ client: some TestClientProtocol, _ harness: Harness, _ org: OrganizationView, _ body: String)
        async throws -> TestResponse
    {
        try await client.execute(
            uri: "/v1/orgs/\(org.record.id.rawValue)", method: .patch, headers: bearer(harness.admin, json: true),
            body: ByteBuffer(string: body))
    }

    /// A new API key of `org` (role manager), its secret.
    static func key(
        _ client: some TestClientProtocol, _ harness: Harness, _ org: OrganizationView, rateLimit: String? = nil
    ) async throws -> String {
        let limit = rateLimit.map { #","rate_limit":\#($0)"# } ?? ""
        let response = try await client.execute(
            uri: "/v1/api-keys?org=\(org.record.id.rawValue)", method: .post,
            headers: bearer(harness.admin, json: true),
            body: ByteBuffer(string: #"{"name":"k","role":"manager"\#(limit)}"#))
        #expect(response.status == .created, "\(response.text)")
        return try #require(try object(response)["key"] as? String)
    }

    /// `GET /v1/transactions` with `token`: the status and the `RateLimit-*` headers.
    static func call(_ client: some TestClientProtocol, _ token: String) async throws
        -> (status: Int, limit: String?, remaining: String?, retryAfter: String?)
    {
        let response = try await client.execute(uri: "/v1/transactions", method: .get, headers: bearer(token))
        return (
            response.status.code, response.headers[.rateLimitLimit], response.headers[.rateLimitRemaining],
            response.headers[.retryAfter]
        )
    }

    /// The same limit as both routes show it.
    static func twice(_ perMinute: Int, _ burst: Int) -> [[String: Int]] {
        Array(repeating: ["per_minute": perMinute, "burst": burst], count: 2)
    }

    /// The effective limit `GET /v1/subscription` and `GET /v1/usage` show.
    static func shown(_ client: some TestClientProtocol, _ harness: Harness, _ org: OrganizationView) async throws
        -> [[String: Int]]
    {
        var shown: [[String: Int]] = []
        for path in ["/v1/subscription", "/v1/usage"] {
            let response = try await client.execute(
                uri: "\(path)?org=\(org.record.id.rawValue)", method: .get, headers: bearer(harness.admin))
            #expect(response.status == .ok)
            shown.append(try #require(try object(response)["rate_limit"] as? [String: Int]))
        }
        return shown
    }

    @Test func anIntegerOrAnObjectOverridesThePlanAndNullRestoresIt() async throws {
        let harness = try await Harness.start()
        try await harness.test { client in
            #expect(try await Self.shown(client, harness, harness.acme) == Self.twice(60, 60))
            var response = try await Self.patch(client, harness, harness.acme, #"{"rate_limit":5}"#)
            #expect(response.status == .ok)
            #expect(try Self.object(response)["rate_limit"] as? Int == 5)
            #expect(try Self.object(response)["rate_limit_burst"] as? Int == 5)
            let key = try await Self.key(client, harness, harness.acme)
            for remaining in ["4", "3", "2", "1", "0"] {
                #expect(try await Self.call(client, key).remaining == remaining)
            }
            let refused = try await Self.call(client, key)
            #expect(refused.status == 429 && refused.retryAfter == "12" && refused.limit == "5")

            response = try await Self.patch(
                client, harness, harness.acme, #"{"rate_limit":{"per_minute":120,"burst":3}}"#)
            #expect(try Self.object(response)["rate_limit_burst"] as? Int == 3)
            #expect(try await Self.shown(client, harness, harness.acme) == Self.twice(120, 3))
            for remaining in ["2", "1", "0"] { #expect(try await Self.call(client, key).remaining == remaining) }
            #expect(try await Self.call(client, key).retryAfter == "1")
            harness.clock.advance(ms: 500)
            #expect(try await Self.call(client, key).status == 200)

            response = try await Self.patch(client, harness, harness.acme, #"{"rate_limit":null}"#)
            #expect(response.status == .ok)
            #expect(try Self.object(response)["rate_limit"] as? Int == 60)
            #expect(try await Self.shown(client, harness, harness.acme) == Self.twice(60, 60))
            #expect(try await Self.call(client, key) == (200, "60", "59", nil))
            // A PATCH without rate_limit leaves it alone.
            _ = try await Self.patch(client, harness, harness.acme, #"{"rate_limit":{"per_minute":7}}"#)
            _ = try await Self.patch(client, harness, harness.acme, #"{"name":"Acme Ltd"}"#)
            #expect(try await Self.shown(client, harness, harness.acme).first == ["per_minute": 7, "burst": 7])
        }
        await harness.gateway.close()
    }

    @Test func eachKeyHasItsOwnBucketAndTheOrganizationsIsShared() async throws {
        let harness = try await Harness.start()
        try await harness.test { client in
            _ = try await Self.patch(client, harness, harness.acme, #"{"rate_limit":{"per_minute":60,"burst":10}}"#)
            let noisy = try await Self.key(client, harness, harness.acme, rateLimit: #"{"per_minute":60,"burst":4}"#)
            let quiet = try await Self.key(client, harness, harness.acme, rateLimit: #"{"per_minute":60,"burst":4}"#)
            let plain = try await Self.key(client, harness, harness.acme)
            // The noisy key spends its own bucket (the tighter one is reported), then is refused alone.
            for remaining in ["3", "2", "1", "0"] { #expect(try await Self.call(client, noisy).remaining == remaining) }
            let refused = try await Self.call(client, noisy)
            #expect(refused.status == 429 && refused.limit == "4" && refused.retryAfter == "1")
            // Its refusal took nothing from the organization: 10 - 4 = 6 left, the quiet key's own 4 first.
            #expect(try await Self.call(client, quiet) == (200, "4", "3", nil))
            // A key without its own limit meets only the organization's bucket, shared by all: 5 - 1 = 4 left.
            #expect(try await Self.call(client, plain) == (200, "10", "4", nil))
            for _ in 0..<4 { #expect(try await Self.call(client, plain).status == 200) }
            let empty = try await Self.call(client, quiet)
            #expect(empty.status == 429 && empty.limit == "10" && empty.remaining == "0")
            // The organization's refusal took nothing from the quiet key's bucket: it still has 3.
            harness.clock.advance(ms: 1_000)
            #expect(try await Self.call(client, quiet) == (200, "10", "0", nil))
            harness.clock.advance(ms: 60_000)
            #expect(try await Self.call(client, quiet) == (200, "4", "3", nil))
            // The key's own limit is shown with it.
            let keys = try await client.execute(
                uri: "/v1/api-keys?org=\(harness.acme.record.id.rawValue)", method: .get,
                headers: Self.bearer(harness.admin))
            let listed = try #require(try Self.object(keys)["data"] as? [[String: Any]])
            let own = ["per_minute": 60, "burst": 4]
            #expect(listed.map { $0["rate_limit"] as? [String: Int] } == [own, own, nil])
        }
        await harness.gateway.close()
    }

    @Test func organizationsAreIndependentAndCallbacksAreNeverLimited() async throws {
        let harness = try await Harness.start()
        try await harness.test { client in
            _ = try await Self.patch(client, harness, harness.acme, #"{"rate_limit":{"per_minute":1,"burst":1}}"#)
            let acme = try await Self.key(client, harness, harness.acme)
            let globex = try await Self.key(client, harness, harness.globex)
            #expect(try await Self.call(client, acme).status == 200)
            #expect(try await Self.call(client, acme).status == 429)
            #expect(try await Self.call(client, globex) == (200, "60", "59", nil))
            let token = try #require(harness.acme.callbackToken)
            for _ in 0..<3 {
                let response = try await client.execute(
                    uri: "/callbacks/acme/\(token)/stk", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"Body":{"stkCallback":{"MerchantRequestID":"m","#
                        + #""CheckoutRequestID":"ws_CO_none","ResultCode":0,"ResultDesc":"ok"}}}"#))
                #expect(response.status == .ok)
                #expect(response.headers[.rateLimitLimit] == nil)
            }
            #expect(try await Self.call(client, acme).status == 429)
        }
        await harness.gateway.close()
    }

    @Test(arguments: [
        (#"{"rate_limit":0}"#, "rate_limit"), (#"{"rate_limit":-5}"#, "rate_limit"),
        (#"{"rate_limit":1000001}"#, "rate_limit"), (#"{"rate_limit":"60"}"#, "rate_limit"),
        (#"{"rate_limit":true}"#, "rate_limit"), (#"{"rate_limit":[60]}"#, "rate_limit"),
        (#"{"rate_limit":{"per_minute":0}}"#, "rate_limit.per_minute"),
        (#"{"rate_limit":{"per_minute":-1,"burst":5}}"#, "rate_limit.per_minute"),
        (#"{"rate_limit":{"per_minute":1000001}}"#, "rate_limit.per_minute"),
        (#"{"rate_limit":{"per_minute":"60"}}"#, "rate_limit.per_minute"),
        (#"{"rate_limit":{"per_minute":1.5}}"#, "rate_limit.per_minute"),
        (#"{"rate_limit":{"burst":5}}"#, "rate_limit.per_minute"),
        (#"{"rate_limit":{"per_minute":60,"burst":0}}"#, "rate_limit.burst"),
        (#"{"rate_limit":{"per_minute":60,"burst":1000001}}"#, "rate_limit.burst"),
        (#"{"rate_limit":{"per_minute":60,"burst":"5"}}"#, "rate_limit.burst"),
        (#"{"rate_limit":{"per_minute":60,"brust":5}}"#, "rate_limit"),
        (#"{"name":"Renamed","rate_limit":{"per_minute":60,"extra":1}}"#, "rate_limit"),
    ])
    func badShapesAre422NamingTheFieldAndChangeNothing(body: String, param: String) async throws {
        let harness = try await Harness.start()
        try await harness.test { client in
            let response = try await Self.patch(client, harness, harness.acme, body)
            #expect(response.status == .unprocessableContent, "\(body): \(response.text)")
            #expect(try ErrorBody.decode(response).param == param, "\(body)")
            #expect(try ErrorBody.decode(response).code == "INVALID_FIELD")
            let created = try await client.execute(
                uri: "/v1/api-keys?org=\(harness.acme.record.id.rawValue)", method: .post,
                headers: Self.bearer(harness.admin, json: true),
                body: ByteBuffer(
                    string: body.replacingOccurrences(of: #"{"rate_limit""#, with: #"{"name":"k","rate_limit""#)
                        .replacingOccurrences(of: #""name":"Renamed","#, with: #""name":"k","#)))
            #expect(created.status == .unprocessableContent, "\(body): \(created.text)")
            #expect(try ErrorBody.decode(created).param == param, "\(body)")
        }
        let record = try await harness.gateway.organization(harness.acme.record.id, by: EngineRoot.actor).record
        #expect(record.name == "Acme" && record.rateLimitOverride == nil && record.rateLimitBurstOverride == nil)
        #expect(try await harness.gateway.apiKeys(in: harness.acme.record.id, by: EngineRoot.actor).isEmpty)
        await harness.gateway.close()
    }

    @Test func aKeysOwnLimitMayNotExceedItsOrganizations() async throws {
        let harness = try await Harness.start()
        try await harness.test { client in
            for (limit, param) in [
                (#"{"per_minute":61}"#, "rate_limit.per_minute"),
                (#"{"per_minute":60,"burst":61}"#, "rate_limit.burst"),
            ] {
                let response = try await client.execute(
                    uri: "/v1/api-keys?org=\(harness.acme.record.id.rawValue)", method: .post,
                    headers: Self.bearer(harness.admin, json: true),
                    body: ByteBuffer(string: #"{"name":"k","rate_limit":\#(limit)}"#))
                #expect(response.status == .unprocessableContent)
                #expect(try ErrorBody.decode(response).param == param)
            }
            _ = try await Self.key(client, harness, harness.acme, rateLimit: #"{"per_minute":60,"burst":60}"#)
        }
        await harness.gateway.close()
    }
}

/// A super admin as the engine sees one.
enum EngineRoot {
    static let actor = Actor(
        principal: try! Principal(role: .superAdmin, organizationID: nil), id: "usr_root", requestID: "req_t")
}
