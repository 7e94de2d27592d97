public import Foundation
import HTTPTypes
import PesaCore

/// Builds the OpenAPI 3.1 document from the registered `RouteSpec`s (the same ones the router was built
/// from), with the error object as a shared component.
public struct OpenAPIDocument: Sendable {
    public var title: String
    public var version: String
    public var serverURL: String?

    public init(title: String = "Pesa Gateway API", version: String, serverURL: String? = nil) {
        self.title = title
        self.version = version
        self.serverURL = serverURL
    }

    public func build(_ specs: [RouteSpec]) -> JSONValue {
        var paths: [String: [String: JSONValue]] = [:]
        for spec in specs {
            paths[spec.path, default: [:]][spec.method.rawValue.lowercased()] = operation(spec)
        }
        var document: [String: JSONValue] = [
            "openapi": "3.1.0",
            "info": ["title": .string(title), "version": .string(version)],
            "paths": .object(paths.mapValues { .object($0) }),
            "components": [
                "schemas": ["Error": JSONSchema.error],
                "securitySchemes": [
                    "bearer": [
                        "type": "http", "scheme": "bearer",
                        "description": "A login JWT, or an API key (pk_test_… / pk_live_…)",
                    ],
                    "metricsToken": [
                        "type": "http", "scheme": "bearer",
                        "description": "GET /metrics only: the token the operator set in PESA_METRICS_TOKEN",
                    ],
                ],
            ],
        ]
        if let serverURL { document["servers"] = [["url": .string(serverURL)]] }
        return .object(document)
    }

    /// The document as bytes (sorted keys, so the same routes give the same bytes).
    public func encoded(_ specs: [RouteSpec]) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(build(specs))) ?? Data("{}".utf8)
    }

    func operation(_ spec: RouteSpec) -> JSONValue {
        var operation: [String: JSONValue] = [
            "summary": .string(spec.summary),
            "operationId": .string(operationID(spec)),
            "tags": [.string(spec.tag)],
            "x-pesa-action": .string(spec.action.rawValue),
            "responses": .object(responses(spec)),
        ]
        switch spec.action.requirement {
        case .anyone:
            operation["security"] = []
            if let own = spec.ownSecurity {
                operation["security"] = .array(own.schemes.map { .object([$0: []]) })
                operation["x-required-role"] = .string(own.role.rawValue)
            }
        case .atLeast(let role):
            operation["security"] = [["bearer": []]]
            operation["x-required-role"] = .string(role.rawValue)
        }
        let parameters = spec.pathParameters.map { name -> JSONValue in
            ["name": .string(name), "in": "path", "required": true, "schema": JSONSchema.string]
        } + spec.query.keys.sorted().map { name -> JSONValue in
            ["name": .string(name), "in": "query", "required": false, "schema": spec.query[name] ?? JSONSchema.string]
        } + (spec.idempotent ? [Self.idempotencyKeyParameter] : [])
        if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
        if let body = spec.requestBody {
            operation["requestBody"] = ["required": true, "content": ["application/json": ["schema": body]]]
            operation["x-body-bytes-max"] = .int(spec.bodyBytesMax ?? Limits.requestBodyBytesMax)
        }
        return .object(operation)
    }

    func responses(_ spec: RouteSpec) -> [String: JSONValue] {
        var success: [String: JSONValue] = ["description": .string(spec.successStatus.reasonPhrase)]
        if let body = spec.responseBody {
            success["content"] = .object([spec.responseContentType: ["schema": body]])
        }
        if spec.idempotent {
            success["headers"] = [
                "Idempotency-Hit": [
                    "description": "\"true\" when this is the first answer to the same Idempotency-Key and body",
                    "schema": JSONSchema.string,
                ]
            ]
        }
        var responses: [String: JSONValue] = [String(spec.successStatus.code): .object(success)]
        var codes = Set(spec.errors).union([.internalError])
        if spec.idempotent { codes.formUnion([.idempotencyKeyReused, .invalidField]) }
        if case .atLeast = spec.action.requirement { codes.formUnion([.unauthenticated, .forbidden, .rateLimited]) }
        if spec.requestBody != nil {
            codes.formUnion([.malformedJSON, .payloadTooLarge, .unsupportedMediaType, .invalidField])
        }
        if !spec.query.isEmpty { codes.insert(.invalidField) }
        for status in Set(codes.map(\.status.code)).sorted() {
            let names = codes.filter { $0.status.code == status }.map(\.rawValue).sorted().joined(separator: ", ")
            responses[String(status)] = [
                "description": .string(names),
                "content": ["application/json": ["schema": JSONSchema.reference("Error")]],
            ]
        }
        return responses
    }

    /// `Idempotency-Key` on a creating route (the same key and body within 24 h get the first answer).
    static let idempotencyKeyParameter: JSONValue = [
        "name": "Idempotency-Key", "in": "header", "required": false,
        "description": .string(
            "The same caller's same key and body within 24 h get the first answer (with Idempotency-Hit: true; "
                + "payments and organizations as they are now; payment keys are the organization's, not the "
                + "caller's; an API key's first answer only until the server restarts, then 409 naming it); "
                + "the same key with another body is 409"),
        "schema": [
            "type": "string", "minLength": 1, "maxLength": .int(Limits.idempotencyKeyCharactersMax),
            "pattern": "^[!-~]+$",
        ],
    ]

    func operationID(_ spec: RouteSpec) -> String {
        let words = spec.path.split(separator: "/").map { segment -> String in
            String(segment.filter { $0.isLetter || $0.isNumber || $0 == "_" })
        }
        return ([spec.method.rawValue.lowercased()] + words).joined(separator: "_")
    }
}
