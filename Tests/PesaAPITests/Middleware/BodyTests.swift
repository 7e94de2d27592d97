import Foundation
import Hummingbird
import NIOCore
import HummingbirdTesting
import PesaAPI
import PesaCore
import Testing

@Suite struct BodyTests {
    func post(_ app: TestApp, _ body: String, contentType: String? = "application/json") async throws -> TestResponse {
        let token = try await app.token(role: .user, organization: TestApp.orgA)
        var headers = TestApp.bearer(token)
        if let contentType { headers[.contentType] = contentType }
        let sendable = headers
        return try await app.test { client in
            try await client.execute(uri: "/v1/echo", method: .post, headers: sendable, body: ByteBuffer(string: body))
        }
    }

    @Test func validBodyWithUnknownFieldsIsAccepted() async throws {
        let app = await TestApp()
        let response = try await post(app, #"{"name":"a","amount":5,"extra":{"x":[1,2]}}"#)
        #expect(response.status == .ok)
        #expect(response.text.contains("\"amount\":5"))
        #expect(response.headers[.requestID]?.hasPrefix("req_") == true)
    }

    @Test func tooLargeBodyIs413() async throws {
        let app = await TestApp()
        let big = #"{"name":""# + String(repeating: "x", count: Limits.requestBodyBytesMax) + #"","amount":1}"#
        let response = try await post(app, big)
        #expect(response.status == .contentTooLarge)
        let error = try ErrorBody.decode(response)
        #expect(error.code == "PAYLOAD_TOO_LARGE")
        #expect(response.headers[.requestID] == error.request_id)
    }

    @Test func aRouteMayRaiseItsOwnLimit() async throws {
        let app = await TestApp()
        let body = ByteBuffer(string: #"{"name":""# + String(repeating: "x", count: 100_000) + #""}"#)
        try await app.test { client in
            try await client.execute(
                uri: "/v1/big/1", method: .post, headers: [.contentType: "application/json"], body: body
            ) { #expect($0.status == .ok) }
            let huge = ByteBuffer(string: #"{"name":""# + String(repeating: "x", count: 300_000) + #""}"#)
            try await client.execute(
                uri: "/v1/big/1", method: .post, headers: [.contentType: "application/json"], body: huge
            ) { response in
                #expect(response.status == .contentTooLarge)
                let error = try ErrorBody.decode(response)
                #expect(error.message.contains(String(256 * 1024)))
            }
        }
        let response = try await post(app, String(buffer: body))
        #expect(response.status == .contentTooLarge)
    }

    @Test(arguments: [nil, "text/plain", "application/x-www-form-urlencoded", "application/jsonx"])
    func nonJSONBodyIs415(contentType: String?) async throws {
        let app = await TestApp()
        let response = try await post(app, #"{"name":"a","amount":5}"#, contentType: contentType)
        #expect(response.status == .unsupportedMediaType)
        #expect(try ErrorBody.decode(response).code == "UNSUPPORTED_MEDIA_TYPE")
    }

    @Test func jsonWithCharsetIsAccepted() async throws {
        let app = await TestApp()
        let response = try await post(app, #"{"name":"a","amount":5}"#, contentType: "Application/JSON; charset=utf-8")
        #expect(response.status == .ok)
    }

    @Test(arguments: [#"{"name": "a", "#, "", "not json", "[1,2]", "null", "\"text\""])
    func malformedJSONIs400(body: String) async throws {
        let app = await TestApp()
        let response = try await post(app, body)
        #expect(response.status == .badRequest)
        let error = try ErrorBody.decode(response)
        #expect(error.code == "MALFORMED_JSON")
        #expect(error.type == "invalid_request_error")
    }

    @Test(arguments: [
        (#"{"name":"a"}"#, "amount"),
        (#"{"name":"a","amount":"5"}"#, "amount"),
        (#"{"name":null,"amount":5}"#, "name"),
        (#"{"name":"a","amount":5,"items":[{"phone":"1","amount":1},{"phone":"2"}]}"#, "items[1].amount"),
        (#"{"name":"a","amount":5,"items":{"phone":"1"}}"#, "items"),
    ])
    func badFieldIs422NamingIt(body: String, param: String) async throws {
        let app = await TestApp()
        let response = try await post(app, body)
        #expect(response.status == .unprocessableContent)
        let error = try ErrorBody.decode(response)
        #expect(error.code == "INVALID_FIELD")
        #expect(error.param == param)
    }

    @Test func hummingbirdsOwnDecodingErrorBecomesMalformedJSON() async throws {
        let app = await TestApp()
        try await app.test { client in
            try await client.execute(
                uri: "/v1/hb-decode", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: "{oops")
            ) { response in
                #expect(response.status == .badRequest)
                let error = try ErrorBody.decode(response)
                #expect(error.code == "MALFORMED_JSON")
                #expect(!response.text.contains("oops"))
            }
        }
    }
}
