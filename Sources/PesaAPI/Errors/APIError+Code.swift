public import Hummingbird
import HTTPTypes

extension APIError {
    /// Stable, machine-readable error codes. Renaming one breaks integrators: add, never rename.
    public enum Code: String, Sendable, CaseIterable, Equatable {
        case malformedJSON = "MALFORMED_JSON"
        case badRequest = "BAD_REQUEST"
        case unauthenticated = "UNAUTHENTICATED"
        case subscriptionInactive = "SUBSCRIPTION_INACTIVE"
        case forbidden = "FORBIDDEN"
        case notFound = "NOT_FOUND"
        case methodNotAllowed = "METHOD_NOT_ALLOWED"
        case conflict = "CONFLICT"
        case idempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED"
        case credentialsMissing = "CREDENTIALS_MISSING"
        /// A sandbox-only request (C2B simulate) for an organization with production credentials.
        case sandboxOnly = "SANDBOX_ONLY"
        case payloadTooLarge = "PAYLOAD_TOO_LARGE"
        case unsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE"
        case invalidField = "INVALID_FIELD"
        case rateLimited = "RATE_LIMITED"
        case internalError = "INTERNAL"
        case upstreamError = "UPSTREAM_ERROR"
        case tenantUnavailable = "TENANT_UNAVAILABLE"
        case storageUnavailable = "STORAGE_UNAVAILABLE"
        case upstreamUnavailable = "UPSTREAM_UNAVAILABLE"
        /// The payment succeeded but its M-Pesa receipt is still being looked up.
        case receiptPending = "RECEIPT_PENDING"
        /// A test key with production credentials, or a live key with sandbox ones.
        case keyEnvironmentMismatch = "API_KEY_ENVIRONMENT_MISMATCH"
        /// The request's head or body did not arrive in time; the connection is closed.
        case requestTimeout = "REQUEST_TIMEOUT"
        /// A header line, or all of them together, exceed `Limits`; the connection is closed.
        case headersTooLarge = "HEADERS_TOO_LARGE"
        /// The client closed its connection before its request was started; nothing was done.
        case clientClosedRequest = "CLIENT_CLOSED_REQUEST"

        public var status: HTTPResponse.Status {
            switch self {
            case .malformedJSON, .badRequest: .badRequest
            case .requestTimeout: .requestTimeout
            case .headersTooLarge: .requestHeaderFieldsTooLarge
            case .clientClosedRequest: HTTPResponse.Status(code: 499, reasonPhrase: "Client Closed Request")
            case .unauthenticated: .unauthorized
            case .subscriptionInactive: HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required")
            case .forbidden, .keyEnvironmentMismatch: .forbidden
            case .notFound: .notFound
            case .methodNotAllowed: .methodNotAllowed
            case .conflict, .idempotencyKeyReused, .credentialsMissing, .receiptPending, .sandboxOnly: .conflict
            case .payloadTooLarge: .contentTooLarge
            case .unsupportedMediaType: .unsupportedMediaType
            case .invalidField: .unprocessableContent
            case .rateLimited: .tooManyRequests
            case .internalError: .internalServerError
            case .upstreamError: .badGateway
            case .tenantUnavailable, .storageUnavailable, .upstreamUnavailable: .serviceUnavailable
            }
        }

        /// The error's `type`, as Stripe names them.
        public var type: ErrorType {
            switch self {
            case .unauthenticated: .authentication
            case .forbidden, .keyEnvironmentMismatch: .permission
            case .rateLimited: .rateLimit
            case .internalError, .upstreamError, .tenantUnavailable, .storageUnavailable, .upstreamUnavailable:
                .api
            case .malformedJSON, .badRequest, .subscriptionInactive, .notFound, .methodNotAllowed, .conflict,
                .credentialsMissing, .receiptPending, .sandboxOnly,
                .idempotencyKeyReused, .payloadTooLarge, .unsupportedMediaType, .invalidField, .requestTimeout,
                .headersTooLarge, .clientClosedRequest:
                .invalidRequest
            }
        }
    }

    public enum ErrorType: String, Sendable, CaseIterable {
        case invalidRequest = "invalid_request_error"
        case authentication = "authentication_error"
        case permission = "permission_error"
        case rateLimit = "rate_limit_error"
        case api = "api_error"
    }
}
