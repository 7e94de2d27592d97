import Foundation
import Hummingbird
import NIOCore
import HummingbirdTesting
import PesaAPI
import PesaCore
import Testing

@Suite struct ErrorResponseTests {
    @Test func unknownRouteIsContractShapedNotFoundWithRequestID() async throws {
        let app = await TestApp()
        try await app.test { client in
            try await client.execute(uri: "/nope", method: .get) { response in
                #expect(response.status == .notFound)
                let error = try ErrorBody.decode(response)
                #expect(error.code == "NOT_FOUND")
                #expect(error.type == "invalid_request_error")
                #expect(error.param == nil)
                #expect(error.request_id.hasPrefix("req_"))
                #expect(response.headers[.requestID] == error.request_id)
                #expect(!response.text.contains("\"param\""))
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            }
        }
    }

    @Test func saneIncomingRequestIDIsKeptAndInsaneOneReplaced() async throws {
        let app = await TestApp()
        try await app.test { client in
            try await client.execute(uri: "/healthz", method: .get, headers: [.requestID: "abc-123_x.y"]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.requestID] == "abc-123_x.y")
            }
            try await client.execute(uri: "/nope", method: .get, headers: [.requestID: "bad id<script>"]) { response in
                let error = try ErrorBody.decode(response)
                #expect(error.request_id.hasPrefix("req_"))
                #expect(response.headers[.requestID] == error.request_id)
            }
            let long = String(repeating: "a", count: Limits.requestIDCharactersMax + 1)
            try await client.execute(uri: "/healthz", method: .get, headers: [.requestID: long]) { response in
                #expect(response.headers[.requestID]?.hasPrefix("req_") == true)
            }
        }
    }

    @Test func unrecognisedErrorIsInternalAndLeaksNothing() async throws {
        let app = await TestApp()
        try await app.test { client in
            try await client.execute(uri: "/v1/boom", method: .get) { response in
                #expect(response.status == .internalServerError)
                let error = try ErrorBody.decode(response)
                #expect(error.code == "INTERNAL")
                #expect(error.type == "api_error")
                #expect(!response.text.contains("hunter2"))
                #expect(response.headers[.requestID] == error.request_id)
            }
        }
        #expect(!app.logs.all.joined().contains("hunter2"))
        #expect(app.logs.all.contains { $0.contains("request failed") && $0.contains("SecretError") })
    }

    @Test func pesaCoreErrorBecomesInvalidFieldNamingItsParam() async throws {
        let app = await TestApp()
        try await app.test { client in
            try await client.execute(uri: "/v1/core-error", method: .get) { response in
                #expect(response.status == .unprocessableContent)
                let error = try ErrorBody.decode(response)
                #expect(error.code == "INVALID_FIELD")
                #expect(error.param == "org_id")
            }
        }
        #expect(app.logs.all.contains { $0.contains("error.cause=invalidID (org_id)") })
    }

    @Test(arguments: APIError.Code.allCases)
    func everyErrorPathIsContractShapedWithTheRequestID(code: APIError.Code) async throws {
        let app = await TestApp()
        try await app.test { client in
            try await client.execute(
                uri: "/v1/fail/\(code.rawValue)", method: .get, headers: [.requestID: "trace-\(code.rawValue)"]
            ) { response in
                #expect(response.status == code.status)
                let error = try ErrorBody.decode(response)
                #expect(error.code == code.rawValue)
                #expect(error.type == code.type.rawValue)
                #expect(error.request_id == "trace-\(code.rawValue)")
                #expect(response.headers[.requestID] == error.request_id)
                #expect(error.param == (code == .invalidField ? "field" : nil))
                let object = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))
                let inner = (object as? [String: Any])?["error"] as? [String: Any]
                let keys: Set<String> = code == .invalidField
                    ? ["type", "code", "message", "param", "request_id"] : ["type", "code", "message", "request_id"]
                #expect(inner.map { Set($0.keys) } == keys)
            }
        }
    }

    @Test func everyCodeHasAStatusAndAType() {
        let expected: [APIError.Code: Int] = [
            .malformedJSON: 400, .unauthenticated: 401, .subscriptionInactive: 402, .forbidden: 403, .notFound: 404,
            .conflict: 409, .idempotencyKeyReused: 409, .sandboxOnly: 409, .payloadTooLarge: 413,
            .unsupportedMediaType: 415,
            .invalidField: 422, .rateLimited: 429, .internalError: 500, .upstreamError: 502,
            .tenantUnavailable: 503, .storageUnavailable: 503, .upstreamUnavailable: 503, .requestTimeout: 408,
            .headersTooLarge: 431, .clientClosedRequest: 499,
        ]
        for (code, status) in expected { #expect(code.status.code == status, "\(code)") }
        #expect(APIError.Code.unauthenticated.type == .authentication)
        #expect(APIError.Code.forbidden.type == .permission)
        #expect(APIError.Code.rateLimited.type == .rateLimit)
        #expect(APIError.Code.tenantUnavailable.type == .api)
        #expect(APIError.Code.invalidField.type == .invalidRequest)
        #expect(Set(APIError.Code.allCases.map(\.rawValue)).count == APIError.Code.allCases.count)
    }

    @Test func renderedErrorHasExactlyTheContractKeys() throws {
        let response = APIError.invalidField("limit", "bad").response(requestID: "req_x")
        #expect(response.status == .unprocessableContent)
        #expect(response.headers[.requestID] == "req_x")
        let rateLimited = APIError.rateLimited(retryAfterMs: 1500).response(requestID: "req_y")
        #expect(rateLimited.headers[.retryAfter] == "2")
    }

    @Test func mappingOfForeignErrors() {
        #expect(ErrorMapping.apiError(for: HTTPError(.notFound)).code == .notFound)
        #expect(ErrorMapping.apiError(for: HTTPError(.badRequest, message: "leaky detail")).code == .malformedJSON)
        #expect(ErrorMapping.apiError(for: HTTPError(.badRequest, message: "leaky")).message.contains("leaky") == false)
        #expect(ErrorMapping.apiError(for: CancellationError()).code == .internalError)
        #expect(ErrorMapping.apiError(for: APIError.forbidden()).code == .forbidden)
        #expect(throws: PesaCoreError.self) { try OrganizationID(parsing: "x") }
        do {
            _ = try OrganizationID(parsing: "x", field: "org")
        } catch {
            let mapped = ErrorMapping.apiError(for: error)
            #expect(mapped.code == .invalidField)
            #expect(mapped.param == "org")
        }
    }
}
