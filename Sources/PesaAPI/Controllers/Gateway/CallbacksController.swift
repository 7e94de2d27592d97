import Hummingbird
import PesaCore
import PesaEngine

/// `POST /callbacks/{slug}/{token}/{kind}`: Daraja's callbacks, unauthenticated (the slug and secret token in
/// the path name the organization). Acknowledged only once the raw body is durable.
struct CallbacksController: Sendable {
    let gateway: Gateway

    func addRoutes(to routes: APIRoutes) {
        for kind in CallbackKind.allCases {
            routes.add(Self.spec(kind)) { request, context in try await receive(kind, request, context) }
        }
    }

    struct Acknowledgement: ResponseEncodable, Sendable {
        let resultCode: Int
        let resultDesc: String

        enum CodingKeys: String, CodingKey {
            case resultCode = "ResultCode"
            case resultDesc = "ResultDesc"
        }
    }

    /// Daraja's C2B validation rejection: the result code is a string (`C2B00012`).
    struct Rejection: ResponseEncodable, Sendable {
        let resultCode: String
        let resultDesc: String

        enum CodingKeys: String, CodingKey {
            case resultCode = "ResultCode"
            case resultDesc = "ResultDesc"
        }
    }

    @Sendable func receive(_ kind: CallbackKind, _ request: Request, _ context: PesaRequestContext) async throws
        -> Response
    {
        let slug = context.parameters.get("slug") ?? ""
        let token = context.parameters.get("token") ?? ""
        var buffer = try await request.body.collect(upTo: Limits.callbackBodyBytesMax)
        let body = buffer.readBytes(length: buffer.readableBytes) ?? []
        switch try await gateway.receiveCallback(slug: slug, token: token, kind: kind, body: body) {
        case .accepted:
            return try Acknowledgement(resultCode: 0, resultDesc: "Accepted").response(from: request, context: context)
        case .rejected(let code, let desc):
            return try Rejection(resultCode: code, resultDesc: desc).response(from: request, context: context)
        case .notFound:
            throw APIError.notFound()
        case .malformed(let why):
            throw APIError(.badRequest, "callback kept, but it is not a \(kind.rawValue) body: \(why)")
        }
    }

    static func spec(_ kind: CallbackKind) -> RouteSpec {
        RouteSpec(
            .post, "/callbacks/{slug}/{token}/\(kind.rawValue)", summary: "Daraja \(kind.rawValue) callback",
            action: .receiveCallback, tag: "callbacks", requestBody: JSONSchema.object([:]),
            responseBody: JSONSchema.object(["ResultCode": JSONSchema.integer, "ResultDesc": JSONSchema.string]),
            errors: [.notFound, .badRequest, .payloadTooLarge, .tenantUnavailable, .storageUnavailable],
            bodyBytesMax: Limits.callbackBodyBytesMax)
    }
}
