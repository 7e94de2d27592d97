import Foundation
import Hummingbird
import HTTPTypes
import Logging
import NIOCore
import PesaAPI
import PesaCore
import Testing

/// Bodies without `Content-Length` (chunked) are limited while they are collected.
@Suite struct StreamingBodyTests {
    func request(bytes: Int) -> Request {
        let head = HTTPRequest(
            method: .post, scheme: "http", authority: "localhost", path: "/v1/echo",
            headerFields: [.transferEncoding: "chunked", .contentType: "application/json"])
        return Request(head: head, body: RequestBody(buffer: ByteBuffer(repeating: UInt8(ascii: "x"), count: bytes)))
    }

    @Test func chunkedBodyOverTheLimitIs413() async throws {
        let middleware = BodyLimitMiddleware(bytesMax: 1024)
        await #expect(throws: APIError.self) {
            _ = try await middleware.handle(request(bytes: 1025), context: PesaRequestContextFixture.make()) { _, _ in
                Response(status: .ok)
            }
        }
        let response = try await middleware.handle(request(bytes: 1024), context: PesaRequestContextFixture.make()) {
            request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 4096)
            return Response(status: body.readableBytes == 1024 ? .ok : .badRequest)
        }
        #expect(response.status == .ok)
    }
}
