public import PesaCore
public import PesaStore

/// The one error type of PesaEngine: what the API maps to an HTTP answer (PesaAPI/Errors/ErrorMapping.swift).
public struct EngineError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// The object does not exist (or belongs to another organization: answered the same way).
        case notFound
        /// A unique value is taken (slug, email) or the request conflicts with the current state.
        case conflict
        /// The payment succeeded, but its M-Pesa receipt is still being looked up (a reversal must wait for it).
        case receiptPending
        /// An input field is invalid; `param` names it.
        case invalidField
        /// The caller's role may not do this.
        case forbidden
        /// A `pk_test_` key with production credentials, or a `pk_live_` key with sandbox ones.
        case keyEnvironmentMismatch
        /// The tenant is fenced after an integrity problem, or cannot be loaded.
        case tenantUnavailable
        /// The disk refused a write; nothing was recorded.
        case storageUnavailable
        /// The organization's subscription does not allow new payments.
        case subscriptionInactive
        /// The organization has no (or incomplete) M-Pesa credentials for this.
        case credentialsMissing
        /// The request exists only for sandbox credentials (C2B simulate) and the organization's are production ones.
        case sandboxOnly
        /// The upstream (Daraja) refused or failed.
        case upstreamError
        case upstreamUnavailable
        /// Same idempotency key, different request.
        case idempotencyKeyReused
        /// The request would be recorded as a journal line longer than the journal takes; nothing was recorded.
        case tooLarge
    }

    public let code: Code
    public let message: String
    public let param: String?
    public let cause: (any Error)?
    public let location: String
    /// Every invalid field when there are several (a batch's rows: `items[7].phone`, …), `param` the first.
    public var fieldErrors: [FieldError] = []

    /// One invalid field of a request that has several.
    public struct FieldError: Sendable, Equatable {
        public let param: String
        public let message: String

        public init(param: String, message: String) {
            self.param = param
            self.message = message
        }
    }

    public init(
        _ code: Code, _ message: String, param: String? = nil, cause: (any Error)? = nil, fileID: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.param = param
        self.cause = cause
        self.location = "\(fileID):\(line)"
    }

    public var description: String { message }

    public static func notFound(_ what: String, fileID: String = #fileID, line: Int = #line) -> EngineError {
        EngineError(.notFound, "\(what) not found", fileID: fileID, line: line)
    }

    public static func invalid(_ param: String, _ message: String, fileID: String = #fileID, line: Int = #line)
        -> EngineError
    {
        EngineError(.invalidField, message, param: param, fileID: fileID, line: line)
    }

    /// A domain rule refused the input.
    public static func from(_ error: PesaCoreError, fileID: String = #fileID, line: Int = #line) -> EngineError {
        switch error.code {
        case .invalidAmount, .amountOutOfRange, .invalidPhone, .invalidID, .invalidSlug, .invalidField:
            EngineError(.invalidField, error.message, param: error.field, cause: error, fileID: fileID, line: line)
        case .illegalTransition, .inconsistentEvent:
            EngineError(.conflict, error.message, cause: error, fileID: fileID, line: line)
        case .unknownEventType, .invalidEventData, .snapshotVersionUnsupported, .snapshotCorrupt:
            EngineError(.tenantUnavailable, error.message, cause: error, fileID: fileID, line: line)
        }
    }

    /// A storage failure: a full or failing disk is retryable (503), damage fences the tenant (503 too).
    public static func from(_ error: StoreError, fileID: String = #fileID, line: Int = #line) -> EngineError {
        switch error.code {
        case .io, .limitExceeded, .locked:
            EngineError(
                .storageUnavailable, "storage unavailable: \(error.message)", cause: error, fileID: fileID, line: line)
        case .notFound:
            EngineError(.notFound, error.message, cause: error, fileID: fileID, line: line)
        case .invalidArgument:
            EngineError(.invalidField, error.message, cause: error, fileID: fileID, line: line)
        case .corruptRecord, .chainBroken, .sequenceGap, .newerFormat, .snapshotInvalid, .fenced, .wrongMasterKey,
            .vaultDamaged:
            EngineError(
                .tenantUnavailable, "tenant unavailable: \(error.message)", cause: error, fileID: fileID, line: line)
        }
    }
}
