import HTTPTypes
import Hummingbird
import NIOHTTP1
import PesaCore
import PesaEngine

/// The only place where an error of any module becomes an HTTP answer, with a stable
/// machine-readable code; no controller builds its own error response.
///
/// One `switch` per module error type, each exhaustive over that module's codes, so adding a code to a
/// domain error breaks the build here until it has an answer. Anything unrecognised is a 500 `INTERNAL`
/// whose message says nothing about the cause (a description could hold a secret); the request id in the
/// answer and in the log line ties the two together.
public enum ErrorMapping {
    public static func apiError(for error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as PesaCoreError:
            return apiError(for: error).caused(by: error)
        case let error as EngineError:
            return apiError(for: error).caused(by: error)
        case let error as HTTPParserError:
            return apiError(forParseError: error).caused(by: error)
        case let error as RequestBodyTimeoutError:
            return APIError.requestTimeout(headTimeout: false).caused(by: error)
        case let error as any HTTPResponseError:
            return apiError(forFramework: error.status).caused(by: error)
        case is DecodingError:
            return APIError.malformedJSON().caused(by: error)
        default:
            return APIError.internalError().caused(by: error)
        }
    }

    /// Which errors' descriptions may be logged: our own typed errors, whose messages never hold a secret.
    /// (Add StoreError, EngineError, DarajaError here with their mappings.)
    static func loggableDescription(of error: any Error) -> String? {
        switch error {
        case let error as APIError: error.description
        case let error as PesaCoreError: error.description
        case let error as EngineError: "\(error.code): \(error.message) [\(error.location)]"
        case let error as HTTPParserError: "HTTP parse error: \(error)"
        default: nil
        }
    }

    // MARK: PesaCore

    static func apiError(for error: PesaCoreError) -> APIError {
        switch error.code {
        case .invalidAmount, .amountOutOfRange, .invalidPhone, .invalidID, .invalidSlug, .invalidField:
            return APIError(.invalidField, error.message, param: error.field)
        case .illegalTransition:
            return APIError(.conflict, error.message)
        case .unknownEventType, .invalidEventData, .snapshotVersionUnsupported, .snapshotCorrupt:
            // A tenant whose history cannot be read is fenced; the detail is logged, never answered.
            return APIError(.tenantUnavailable, "this organization is temporarily unavailable")
        case .inconsistentEvent:
            return .internalError()
        }
    }

    // MARK: PesaEngine (the engine turns StoreError and DarajaError into EngineError)

    static func apiError(for error: EngineError) -> APIError {
        switch error.code {
        case .notFound: APIError(.notFound, error.message)
        case .conflict: APIError(.conflict, error.message, param: error.param)
        case .receiptPending: APIError(.receiptPending, error.message, param: error.param)
        case .invalidField:
            {
                var mapped = APIError(.invalidField, error.message, param: error.param)
                mapped.fieldErrors = error.fieldErrors.map { ($0.param, $0.message) }
                return mapped
            }()
        case .forbidden: APIError(.forbidden, error.message)
        case .keyEnvironmentMismatch: APIError(.keyEnvironmentMismatch, error.message)
        case .tenantUnavailable:
            // The detail (file and line of the damage) is logged, never answered.
            APIError(.tenantUnavailable, "this organization is temporarily unavailable; the operator has been alerted")
        case .storageUnavailable:
            APIError(.storageUnavailable, "storage is temporarily unavailable; nothing was recorded")
        case .subscriptionInactive: APIError(.subscriptionInactive, error.message)
        case .credentialsMissing: APIError(.credentialsMissing, error.message)
        case .sandboxOnly: APIError(.sandboxOnly, error.message)
        case .upstreamError: APIError(.upstreamError, error.message)
        case .upstreamUnavailable: APIError(.upstreamUnavailable, error.message)
        case .idempotencyKeyReused: APIError(.idempotencyKeyReused, error.message, param: error.param)
        case .tooLarge: APIError(.payloadTooLarge, error.message)
        }
    }

    // MARK: The HTTP parser (requests that are not valid HTTP/1.1: always the client's fault)

    static func apiError(forParseError error: HTTPParserError) -> APIError {
        switch error {
        case .headerOverflow:
            return APIError(
                .headersTooLarge,
                "a request header exceeds \(Limits.requestHeaderFieldBytesMax) bytes, or all of them "
                    + "\(Limits.requestHeadersBytesMax) bytes or \(Limits.requestHeaderFieldsCountMax) lines")
        case .invalidEOFState:
            return APIError(.badRequest, "the connection ended before the request was complete")
        case .unexpectedContentLength, .invalidContentLength:
            return APIError(.badRequest, "the request's Content-Length is invalid, repeated or conflicting")
        case .invalidChunkSize:
            return APIError(.badRequest, "a chunk size of the request body is invalid")
        case .invalidHeaderToken:
            return APIError(.badRequest, "a request header holds a character HTTP does not allow")
        default:
            return APIError(.badRequest, "the request is not valid HTTP/1.1")
        }
    }

    // MARK: Hummingbird's own errors (unknown route, body too large, its decoding errors)

    /// Hummingbird's errors carry free-text bodies (decoder messages that may echo input); only the
    /// status is kept, with our own message.
    static func apiError(forFramework status: HTTPResponse.Status) -> APIError {
        switch status {
        case .badRequest: .malformedJSON()
        case .unauthorized: .unauthenticated()
        case .forbidden: .forbidden()
        case .notFound: .notFound("no such route")
        case .methodNotAllowed: APIError(.methodNotAllowed, "method not allowed on this route")
        case .contentTooLarge: .payloadTooLarge()
        case .unsupportedMediaType: .unsupportedMediaType()
        case .tooManyRequests: .rateLimited(retryAfterMs: 1000)
        case .serviceUnavailable: APIError(.storageUnavailable, "temporarily unavailable")
        default:
            status.kind == .clientError ? APIError(.badRequest, "bad request") : .internalError()
        }
    }
}
