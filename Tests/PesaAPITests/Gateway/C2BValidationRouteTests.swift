import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import NIOCore
import PesaCore
import Testing

/// `PUT /v1/c2b/validation` takes the longest list the use case does: its body limit is its own, not the API's
/// 64 KiB, and past it the answer is 413 in the error shape with nothing changed.
@Suite struct C2BValidationRouteTests {
    static func put(_ body: [UInt8], token: String, client: any TestClientProtocol) async throws -> TestResponse {
        try await client.execute(
            uri: "/v1/c2b/validation", method: .put,
            headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
            body: ByteBuffer(bytes: body))
    }

    static func policy(_ references: [String]) throws -> [UInt8] {
        Array(
            try JSONSerialization.data(withJSONObject: [
                "reject_unknown_account_references": true, "account_references": references,
            ]))
    }

    static func json(_ response: TestResponse) -> [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any]
    }

    @Test func theLongestListIsTakenAndABodyPastItsLimitIs413() async throws {
        let world = try await DashboardWorld.make()
        try await world.test { client in
            let credentials = #"{"email":"\#(DashboardWorld.admin)","password":"\#(DashboardWorld.password)"}"#
            let login = try await client.execute(
                uri: "/v1/auth/login", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: credentials))
            let token = try #require(Self.json(login)?["access_token"] as? String)
            // Ten thousand references of a hundred characters, several of them two-byte: over a megabyte.
            let references = (0..<Limits.c2bAccountReferencesCountMax).map { index in
                let stem = "é\(index)-"
                return stem + String(repeating: "X", count: Limits.c2bAccountReferenceCharactersMax - stem.count)
            }
            let longest = try Self.policy(references)
            #expect(longest.count > 1_000_000)
            let set = try await Self.put(longest, token: token, client: client)
            #expect(set.status == .ok, "\(String(buffer: set.body).prefix(300))")
            #expect((Self.json(set)?["account_references"] as? [String])?.count == references.count)

            // One more reference: the use case's 422, naming the field.
            let tooMany = try await Self.put(try Self.policy(references + ["ONE-MORE"]), token: token, client: client)
            #expect(tooMany.status == .unprocessableContent)
            let refused = Self.json(tooMany)?["error"] as? [String: Any]
            #expect(refused?["param"] as? String == "account_references")

            // A body past the route's own limit: 413 in the error shape; the saved list is untouched.
            let padding = [UInt8](repeating: UInt8(ascii: " "), count: Limits.c2bValidationBodyBytesMax)
            let huge = try await Self.put(Array(#"{"reject_unknown_account_references":false"#.utf8) + padding + [
                UInt8(ascii: "}")
            ], token: token, client: client)
            #expect(huge.status == .contentTooLarge)
            let error = Self.json(huge)?["error"] as? [String: Any]
            #expect(error?["code"] as? String == "PAYLOAD_TOO_LARGE")
            let read = try await client.execute(
                uri: "/v1/c2b/validation", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(Self.json(read)?["reject_unknown_account_references"] as? Bool == true)
            #expect((Self.json(read)?["account_references"] as? [String])?.count == references.count)

            // Any other JSON route keeps the API's limit.
            let otherRoute = try await client.execute(
                uri: "/v1/api-keys", method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                body: ByteBuffer(bytes: try Self.policy(Array(references.prefix(1_000)))))
            #expect(otherRoute.status == .contentTooLarge)
        }
    }
}
