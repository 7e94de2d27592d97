import Foundation
import Hummingbird
import NIOCore
import HummingbirdTesting
import PesaAPI
import PesaCore
import PesaEngine
import Testing

@Suite struct OperationsTests {
    @Test func healthAndReadiness() async throws {
        var app = await TestApp()
        try await app.test { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text == #"{"status":"ok"}"#)
                #expect(response.headers[.requestID] != nil)
            }
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .ok) }
        }
        for (readiness, code) in [
            (Readiness.storageUnavailable(reason: "the data folder /d is full"), "STORAGE_UNAVAILABLE"),
            (Readiness.tenantsFenced(reason: "1 organization(s) fenced"), "TENANT_UNAVAILABLE"),
        ] {
            app.ready = readiness
            try await app.test { client in
                try await client.execute(uri: "/readyz", method: .get) { response in
                    #expect(response.status == .serviceUnavailable)
                    let error = try ErrorBody.decode(response)
                    #expect(error.code == code)
                    #expect(error.message.hasPrefix("not ready: "))
                }
            }
        }
    }

    @Test func metricsCountRequestsByRouteTemplateAndStatus() async throws {
        let app = await TestApp()
        let token = try await app.token(role: .orgAdmin, organization: TestApp.orgA)
        let admin = try await app.token(role: .superAdmin, organization: nil)
        let text = try await app.test { client in
            for org in [TestApp.orgA, TestApp.orgB] {
                try await client.execute(uri: "/v1/orgs/\(org.rawValue)", method: .get, headers: TestApp.bearer(token))
            }
            try await client.execute(uri: "/nope/\(UUID())", method: .get)
            return try await client.execute(uri: "/metrics", method: .get, headers: TestApp.bearer(admin)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                return response.text
            }
        }
        #expect(text.contains("# TYPE pesa_http_requests_total counter"))
        #expect(text.contains(#"pesa_http_requests_total{route="/v1/orgs/{id}",method="GET",status="200"} 1"#))
        #expect(text.contains(#"pesa_http_requests_total{route="/v1/orgs/{id}",method="GET",status="404"} 1"#))
        #expect(text.contains(#"route="NotFound",method="GET",status="404"} 1"#))
        #expect(text.contains("# TYPE pesa_http_request_duration_seconds histogram"))
        // Ids never become route labels; the organization is only a label of the per-tenant counter.
        #expect(!text.contains("route=\"/v1/orgs/\(TestApp.orgA.rawValue)"))
        #expect(text.contains(#"pesa_tenant_http_requests_total{tenant="\#(TestApp.orgA.rawValue)",class="2xx"} 1"#))
        #expect(text.contains(#"pesa_tenant_http_requests_total{tenant="\#(TestApp.orgA.rawValue)",class="4xx"} 1"#))
    }

    @Test func openAPIDocumentListsEveryRegisteredRoute() async throws {
        let app = await TestApp()
        let data = try await app.test { client in
            try await client.execute(uri: "/openapi.json", method: .get) { Data($0.body.readableBytesView) }
        }
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var registered: [RouteSpec] = []
        _ = buildRouter(configuration: app.configuration()) { routes in
            ProbeController().addRoutes(to: routes)
            registered = routes.specs
        }
        let expected = Set(
            (registered + [
                RouteSpec(.get, "/healthz", summary: "", action: .health, tag: "", responseBody: nil),
                RouteSpec(.get, "/readyz", summary: "", action: .readiness, tag: "", responseBody: nil),
                RouteSpec(.get, "/metrics", summary: "", action: .metrics, tag: "", responseBody: nil),
                RouteSpec(.get, "/openapi.json", summary: "", action: .openAPI, tag: "", responseBody: nil),
            ]).map(\.key))
        let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
        #expect(documented == expected)

        let read = try #require(paths["/v1/orgs/{id}"]?["get"] as? [String: Any])
        #expect(read["x-required-role"] as? String == "org_admin")
        #expect((read["security"] as? [[String: Any]])?.first?["bearer"] != nil)
        let responses = try #require(read["responses"] as? [String: Any])
        #expect(Set(responses.keys).isSuperset(of: ["200", "401", "403", "429", "500"]))
        let echo = try #require(paths["/v1/echo"]?["post"] as? [String: Any])
        #expect(echo["requestBody"] != nil)
        let echoResponses = try #require(echo["responses"] as? [String: Any])
        #expect(Set(echoResponses.keys).isSuperset(of: ["400", "413", "415", "422"]))
        let metrics = try #require(paths["/metrics"]?["get"] as? [String: Any])
        #expect(metrics["x-required-role"] as? String == "super_admin")
        let schemes = (metrics["security"] as? [[String: Any]] ?? []).flatMap(\.keys)
        #expect(Set(schemes) == ["bearer", "metricsToken"])
        #expect(Set((metrics["responses"] as? [String: Any] ?? [:]).keys).isSuperset(of: ["200", "401", "403"]))
        let health = try #require(paths["/healthz"]?["get"] as? [String: Any])
        #expect((health["security"] as? [Any])?.isEmpty == true)
        let components = try #require(document["components"] as? [String: Any])
        let schemas = try #require(components["schemas"] as? [String: Any])
        #expect(schemas["Error"] != nil)
    }

    @Test func registeredRolesAreEnforcedBeforeTheHandler() async throws {
        let app = await TestApp()
        try await app.test { client in
            // `/v1/echo` is `createSTKPush` (user at least): anonymous is 401 before the body is even decoded.
            try await client.execute(
                uri: "/v1/echo", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: "{bad")
            ) { #expect($0.status == .unauthorized) }
        }
    }
}

extension OperationsTests {
    @Test func metricsNeedASuperAdminOrTheMetricsTokenAndNothingElse() async throws {
        var app = await TestApp()
        app.metricsToken = "scrape-secret-123"
        let orgAdmin = try await app.token(role: .orgAdmin, organization: TestApp.orgA)
        let superAdmin = try await app.token(role: .superAdmin, organization: nil)
        try await app.test { client in
            for (headers, status, code) in [
                (HTTPFields(), HTTPResponse.Status.unauthorized, "UNAUTHENTICATED"),
                (TestApp.bearer("scrape-secret-12"), .unauthorized, "UNAUTHENTICATED"),
                (TestApp.bearer("scrape-secret-1234"), .unauthorized, "UNAUTHENTICATED"),
                ([.authorization: "Basic scrape-secret-123"], .unauthorized, "UNAUTHENTICATED"),
                (TestApp.bearer(orgAdmin), .forbidden, "FORBIDDEN"),
            ] {
                try await client.execute(uri: "/metrics", method: .get, headers: headers) { response in
                    #expect(response.status == status)
                    let error = try ErrorBody.decode(response)
                    #expect(error.code == code)
                    #expect(response.headers[.requestID] == error.request_id)
                }
            }
            for headers in [TestApp.bearer("scrape-secret-123"), TestApp.bearer(superAdmin)] {
                try await client.execute(uri: "/metrics", method: .get, headers: headers) { response in
                    #expect(response.status == .ok)
                    #expect(response.text.contains("pesa_http_requests_total"))
                }
            }
            // The token opens /metrics only: elsewhere it is just a bad bearer token.
            try await client.execute(uri: "/v1/whoami", method: .get, headers: TestApp.bearer("scrape-secret-123")) {
                #expect($0.status == .unauthorized)
            }
        }
        #expect(!app.logs.all.contains { $0.contains("scrape-secret") })
    }
}
