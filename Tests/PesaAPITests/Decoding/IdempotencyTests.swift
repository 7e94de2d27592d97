import Foundation
import Crypto
import Hummingbird
import HTTPTypes
import NIOCore
import PesaAPI
import PesaCore
import Testing

@Suite struct IdempotencyTests {
    func request(key: String?, body: String = "{}") -> Request {
        var fields: HTTPFields = [.contentType: "application/json"]
        if let key { fields[.idempotencyKey] = key }
        let head = HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: "/", headerFields: fields)
        return Request(head: head, body: RequestBody(buffer: ByteBuffer(string: body)))
    }

    @Test func keyIsOptionalAndChecked() throws {
        #expect(try request(key: nil).idempotencyKey() == nil)
        #expect(try request(key: "order-42_a:b").idempotencyKey() == "order-42_a:b")
        for bad in ["", "has space", String(repeating: "k", count: Limits.idempotencyKeyCharactersMax + 1), "ké"] {
            do {
                _ = try request(key: bad).idempotencyKey()
                Issue.record("accepted \(bad)")
            } catch {
                #expect(error.code == .invalidField)
                #expect(error.param == "Idempotency-Key")
            }
        }
    }

    @Test func hashIsOfTheRequestFieldsNotTheirSpelling() async throws {
        struct Body: Codable, Sendable {
            let a: Int
            let b: String
        }
        let context = PesaRequestContextFixture.make()
        let first = try await request(key: "k", body: #"{"a":1,"b":"x"}"#).decodeHashedJSON(
            as: Body.self, context: context)
        let same = try await request(key: "k", body: #"{ "b": "x", "a": 1 }"#).decodeHashedJSON(
            as: Body.self, context: context)
        let other = try await request(key: "k", body: #"{"a":2,"b":"x"}"#).decodeHashedJSON(
            as: Body.self, context: context)
        #expect(first.value.a == 1)
        #expect(first.requestHash == same.requestHash)
        #expect(first.requestHash != other.requestHash)
        // SHA-256 of the canonical form {"a":1,"b":"x"}
        #expect(first.requestHash == "\(Self.sha256Hex(#"{"a":1,"b":"x"}"#))")
    }

    static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
