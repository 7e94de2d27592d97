import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PesaCore
import PesaEngine

/// `Idempotency-Key` for creating routes whose result is not a payment (balance checks, status queries):
/// the first answer is journaled as bytes and replayed for the same key and body within 24 h
/// (`Idempotency-Hit: true`); the same key with another body is 409.
struct IdempotentAnswer {
    let gateway: Gateway
    /// `POST /v1/balance-checks`: the same key on another route is another key.
    let scope: String

    /// Runs `create` unless this key was answered before; `create` gives the status, the body and the id of
    /// what it created.
    func respond(
        _ request: Request, context: PesaRequestContext, organization: OrganizationID, requestHash: String,
        create: () async throws -> (HTTPResponse.Status, any Encodable & Sendable, String?)
    ) async throws -> Response {
        let idempotency = try request.idempotencyKey().map { IdempotencyInput(key: $0, requestHash: requestHash) }
        if let idempotency, let stored = try await gateway.storedAnswer(
            scope: scope, idempotency: idempotency, in: organization)
        {
            var response = Response.json(Array(stored.body.utf8), status: HTTPResponse.Status(code: stored.statusCode))
            response.headers[.idempotencyHit] = "true"
            return response
        }
        let (status, value, resourceID) = try await create()
        guard let bytes = try? context.responseEncoder.encode(value) else { throw APIError.internalError() }
        if let idempotency {
            try await gateway.storeAnswer(
                StoredAnswer(statusCode: status.code, body: String(decoding: bytes, as: UTF8.self)), scope: scope,
                idempotency: idempotency, resourceID: resourceID, in: organization)
        }
        return Response.json(bytes, status: status)
    }

    /// Hex SHA-256 of a body's exact bytes (for routes whose body is optional).
    static func hash(_ bytes: some Sequence<UInt8>) -> String {
        Hex.encode(SHA256.hash(data: Array(bytes)))
    }
}
