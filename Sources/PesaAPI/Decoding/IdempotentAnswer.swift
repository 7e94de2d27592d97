import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PesaCore
import PesaEngine

/// `Idempotency-Key` for creating routes whose result is not a payment (organizations, users, API keys,
/// balance checks, status queries): the first answer is journaled as bytes and replayed for the same key and
/// body within 24 h (`Idempotency-Hit: true`); the same key with another body is 409.
///
/// Two requests with the same key at the same moment may both create: each route's own uniqueness (a slug,
/// an email) refuses the second with 409, and a query is harmless twice. A crash between creating and
/// journaling the answer leaves no answer to replay, so the retry meets that same 409.
struct IdempotentAnswer {
    let gateway: Gateway
    /// `POST /v1/balance-checks`: the same key on another route is another key.
    let scope: String
    /// What the caller must be allowed before a first answer is replayed to it: the key alone does not
    /// entitle anyone to another caller's answer (an API key's secret).
    let action: Action
    /// Whether the answer holds a secret, so it is journaled sealed (`Gateway.storeAnswer`).
    var sealed = false

    /// Runs `create` unless this key was answered before; `create` gives the status, the body and the id of
    /// what it created. `organization` nil: the answer belongs to the instance (`POST /v1/orgs`).
    func respond(
        _ request: Request, context: PesaRequestContext, organization: OrganizationID?, requestHash: String,
        create: () async throws -> (HTTPResponse.Status, any Encodable & Sendable, String?)
    ) async throws -> Response {
        let idempotency = try request.idempotencyKey().map { IdempotencyInput(key: $0, requestHash: requestHash) }
        let place = organization.map(AnswerPlace.organization) ?? .system
        if let idempotency {
            try context.requireIdentity().actor(requestID: context.requestID).authorize(action, in: organization)
            if let stored = try await gateway.storedAnswer(scope: scope, idempotency: idempotency, in: place) {
                var response = Response.json(
                    Array(stored.body.utf8), status: HTTPResponse.Status(code: stored.statusCode))
                response.headers[.idempotencyHit] = "true"
                return response
            }
        }
        let (status, value, resourceID) = try await create()
        guard let bytes = try? context.responseEncoder.encode(value) else { throw APIError.internalError() }
        if let idempotency {
            try await gateway.storeAnswer(
                StoredAnswer(statusCode: status.code, body: String(decoding: bytes, as: UTF8.self)), sealed: sealed,
                scope: scope, idempotency: idempotency, resourceID: resourceID, in: place)
        }
        return Response.json(bytes, status: status)
    }

    /// Hex SHA-256 of a body's exact bytes (for routes whose body is optional).
    static func hash(_ bytes: some Sequence<UInt8>) -> String {
        Hex.encodeString(SHA256.hash(data: Array(bytes)))
    }
}
