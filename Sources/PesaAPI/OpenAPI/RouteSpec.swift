public import Hummingbird
import HTTPTypes
public import PesaCore

/// Everything a route must say about itself to be registered: the router and `GET /openapi.json` are both
/// built from these, so a route cannot exist undocumented.
public struct RouteSpec: Sendable {
    public let method: HTTPRequest.Method
    /// OpenAPI-style path, which Hummingbird also understands: `/v1/orgs/{id}`.
    public let path: String
    public let summary: String
    /// The PesaCore action: its requirement (anyone, or a minimum role) is enforced before the handler
    /// runs and documented as the route's security.
    public let action: Action
    public let tag: String
    /// JSON schema of the request body; nil when the route takes none.
    public let requestBody: JSONValue?
    /// Query parameters: name -> schema.
    public let query: [String: JSONValue]
    public let successStatus: HTTPResponse.Status
    /// JSON schema of the success body; nil for no body or a non-JSON one (`responseContentType`).
    public let responseBody: JSONValue?
    public let responseContentType: String
    /// Error codes this route documents besides the ones every route has.
    public let errors: [APIError.Code]
    /// This route's body limit when it differs from `Limits.requestBodyBytesMax` (payout batches).
    public let bodyBytesMax: Int?
    /// The path parameter naming the organization the route is about (e.g. `id` in `/v1/orgs/{id}/users`): the
    /// permission check then answers 404 for another organization before it answers 403 for the role.
    public let organizationParameter: String?
    /// For a route the permission matrix leaves open (`anyone`) that checks credentials itself (`GET /metrics`):
    /// the security schemes it accepts and the role a JWT must have. Documented in the OpenAPI document.
    public let ownSecurity: OwnSecurity?
    /// Whether the route honours `Idempotency-Key` (every POST that creates something): documented as a header
    /// parameter, with 409 `IDEMPOTENCY_KEY_REUSED` and the `Idempotency-Hit` answer header.
    public let idempotent: Bool

    public struct OwnSecurity: Sendable {
        public let schemes: [String]
        public let role: Role

        public init(schemes: [String], role: Role) {
            self.schemes = schemes
            self.role = role
        }
    }

    public init(
        _ method: HTTPRequest.Method, _ path: String, summary: String, action: Action, tag: String,
        requestBody: JSONValue? = nil, query: [String: JSONValue] = [:], successStatus: HTTPResponse.Status = .ok,
        responseBody: JSONValue?, responseContentType: String = "application/json", errors: [APIError.Code] = [],
        bodyBytesMax: Int? = nil, organizationParameter: String? = nil, ownSecurity: OwnSecurity? = nil,
        idempotent: Bool = false
    ) {
        self.idempotent = idempotent
        self.organizationParameter = organizationParameter
        self.ownSecurity = ownSecurity
        self.method = method
        self.path = path
        self.summary = summary
        self.action = action
        self.tag = tag
        self.requestBody = requestBody
        self.query = query
        self.successStatus = successStatus
        self.responseBody = responseBody
        self.responseContentType = responseContentType
        self.errors = errors
        self.bodyBytesMax = bodyBytesMax
    }

    /// `GET /v1/orgs/{id}`.
    public var key: String { "\(method.rawValue) \(path)" }

    /// Path parameters, in order: `["id"]` for `/v1/orgs/{id}`.
    public var pathParameters: [String] {
        path.split(separator: "/").compactMap { segment in
            guard segment.hasPrefix("{"), segment.hasSuffix("}") else { return nil }
            return String(segment.dropFirst().dropLast())
        }
    }
}
