import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PesaCore
import PesaEngine

/// `Idempotency-Key` for creating routes whose result is not a payment (organizations, users, balance checks,
/// status queries): the first answer is journaled as bytes and replayed for the same caller, key and body
/// within 24 h (`Idempotency-Hit: true`); the same key with another body is 409. Keys are the caller's own
/// (`Gateway.idempotencyScope`): another caller's same key is another key. API keys keep their key in the
/// engine instead (`Gateway.createAPIKey`), as their answer holds a secret that is shown once.
///
/// Users record their key in the engine command that creates them (`respondRecordedByCreate`). For the other
/// routes, two requests with the same key at the same moment may both create: each route's own uniqueness (a
/// slug) refuses the second with 409, and a query is harmless twice. A crash between creating and journaling
/// the answer leaves no answer to replay, so the retry meets that same 409.
struct IdempotentAnswer {
    let gateway: Gateway
    /// The route, `POST /v1/balance-checks`: the same key on another route is another key.
    let route: String
    /// What the caller must be allowed before a first answer is replayed to it (it may have lost its role).
    let action: Action
    /// How a replay answers when the first answer's bytes are not kept whole: `POST /v1/orgs` journals its
    /// answer without `callback_url_base` (the URL's token is a secret) and replays the organization as it is
    /// now, from the stored answer's resource id.
    var replayCurrent: (@Sendable (String) async throws -> any ResponseGenerator)? = nil
    /// A top-level field of the answer left out of the journaled body (with `replayCurrent`).
    var secretField: String? = nil

    /// Runs `create` unless this key was answered before; `create` gives the status, the body and the id of
    /// what it created. `organization` nil: the answer belongs to the instance (`POST /v1/orgs`).
    func respond(
        _ request: Request, context: PesaRequestContext, organization: OrganizationID?, requestHash: String,
        create: () async throws -> (HTTPResponse.Status, any Encodable & Sendable, String?)
    ) async throws -> Response {
        let idempotency = try request.idempotencyKey().map { IdempotencyInput(key: $0, requestHash: requestHash) }
        let place = organization.map(AnswerPlace.organization) ?? .system
        if let replay = try await replay(idempotency, request: request, context: context, organization: organization) {
            return replay
        }
        let actor = try context.requireIdentity().actor(requestID: context.requestID)
        let scope = Gateway.idempotencyScope(route, actor: actor)
        let (status, value, resourceID) = try await create()
        let bytes = try Self.bytes(of: value, context: context)
        if let idempotency {
            let journaled = try secretField.map { try Self.removing($0, from: bytes) } ?? Array(bytes)
            try await gateway.storeAnswer(
                StoredAnswer(
                    statusCode: status.code, body: String(decoding: journaled, as: UTF8.self), resourceID: resourceID),
                scope: scope, idempotency: idempotency, in: place)
        }
        return Response.json(bytes, status: status)
    }

    /// For a route whose engine command journals the key with what it creates (`Gateway.createUser`): nothing is
    /// journaled here. `create` gets the key (nil without one) and gives the status, the answer and whether the
    /// engine found the key already answered, by a request with the same key that ran at the same moment.
    func respondRecordedByCreate(
        _ request: Request, context: PesaRequestContext, organization: OrganizationID, requestHash: String,
        create: (IdempotencyInput?) async throws -> (HTTPResponse.Status, any ResponseGenerator, replayed: Bool)
    ) async throws -> Response {
        let idempotency = try request.idempotencyKey().map { IdempotencyInput(key: $0, requestHash: requestHash) }
        if let replay = try await replay(idempotency, request: request, context: context, organization: organization) {
            return replay
        }
        let (status, value, replayed) = try await create(idempotency)
        // Made as a replay makes it (`replayCurrent`), so the same object has the same bytes.
        var response = try value.response(from: request, context: context)
        response.status = status
        if replayed { response.headers[.idempotencyHit] = "true" }
        return response
    }

    /// The first answer to this caller's key, when there is one (after checking the caller may still do
    /// `action`); 409 when the key came with another request.
    private func replay(
        _ idempotency: IdempotencyInput?, request: Request, context: PesaRequestContext, organization: OrganizationID?
    ) async throws -> Response? {
        guard let idempotency else { return nil }
        let actor = try context.requireIdentity().actor(requestID: context.requestID)
        try actor.authorize(action, in: organization)
        let place = organization.map(AnswerPlace.organization) ?? .system
        let scope = Gateway.idempotencyScope(route, actor: actor)
        guard let stored = try await gateway.storedAnswer(scope: scope, idempotency: idempotency, in: place) else {
            return nil
        }
        var response: Response
        if let replayCurrent, let id = stored.resourceID {
            response = try await replayCurrent(id).response(from: request, context: context)
        } else {
            response = Response.json(Array(stored.body.utf8), status: .ok)
        }
        response.status = HTTPResponse.Status(code: stored.statusCode)
        response.headers[.idempotencyHit] = "true"
        return response
    }

    /// An answer's JSON as the route gives it without a key: `JSONWriter`'s member order for the answers
    /// written with it (`OrganizationJSON`), so a replay of the same object has the same bytes.
    static func bytes(of value: any Encodable & Sendable, context: PesaRequestContext) throws -> [UInt8] {
        if let writable = value as? any JSONWritable {
            var json = JSONWriter()
            writable.write(to: &json)
            return json.bytes
        }
        guard let data = try? context.responseEncoder.encode(value) else { throw APIError.internalError() }
        return Array(data)
    }

    /// A JSON object's bytes without one of its top-level fields.
    static func removing(_ field: String, from bytes: some Sequence<UInt8>) throws -> [UInt8] {
        guard var object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw APIError.internalError()
        }
        object[field] = nil
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
            throw APIError.internalError()
        }
        return Array(data)
    }

    /// Hex SHA-256 of a body's exact bytes (for routes whose body is optional).
    static func hash(_ bytes: some Sequence<UInt8>) -> String {
        Hex.encodeString(SHA256.hash(data: Array(bytes)))
    }
}
