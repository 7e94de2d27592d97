import Hummingbird
import HummingbirdTesting
import PesaAPI
import PesaCore
import Testing

@Suite struct SessionCookieTests {
    @Test func dashboardSessionCookieAuthenticatesLikeABearerToken() async throws {
        var app = await TestApp()
        app.sessionCookieName = "pesa_session"
        let token = try await app.token(role: .manager, organization: TestApp.orgA)
        let admin = try await app.token(role: .superAdmin, organization: nil)
        try await app.test { client in
            try await client.execute(uri: "/v1/whoami", method: .get, headers: [.cookie: "pesa_session=\(token)"]) {
                #expect($0.status == .ok)
                #expect($0.text.contains("\"role\":\"manager\""))
            }
            // A cookie that does not verify leaves the request anonymous.
            try await client.execute(uri: "/v1/whoami", method: .get, headers: [.cookie: "pesa_session=\(token)x"]) {
                #expect($0.status == .unauthorized)
            }
            // The Authorization header wins over the cookie.
            var headers = TestApp.bearer(admin)
            headers[.cookie] = "pesa_session=\(token)"
            let sendable = headers
            try await client.execute(uri: "/v1/whoami", method: .get, headers: sendable) {
                #expect($0.text.contains("\"role\":\"super_admin\""))
            }
        }
    }

    @Test func cookiesAreIgnoredUnlessConfigured() async throws {
        let app = await TestApp()
        let token = try await app.token(role: .manager, organization: TestApp.orgA)
        try await app.test { client in
            try await client.execute(uri: "/v1/whoami", method: .get, headers: [.cookie: "pesa_session=\(token)"]) {
                #expect($0.status == .unauthorized)
            }
        }
    }
}
