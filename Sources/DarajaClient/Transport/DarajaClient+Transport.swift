import AsyncHTTPClient
import DarajaWire
import Foundation
import Logging
import NIOCore
import NIOHTTP1

extension DarajaClient {
    /// POST `body` to `endpoint` with a bearer token and decode the 2xx answer as `Answer`.
    /// Token errors (`404.001.03`, `401.002.01`) refresh the token and retry once, whatever the kind:
    /// Daraja refused such a request before doing anything.
    func post<Answer: Decodable>(
        _ endpoint: DarajaEndpoint, body: some Encodable, kind: OperationKind, as: Answer.Type = Answer.self
    ) async throws(DarajaError) -> Answer {
        let payload: Data
        do {
            payload = try JSONEncoder().encode(body)
        } catch {
            throw .invalidInput("request body does not encode: \(error)")
        }
        var tokenRetried = false
        while true {
            let token = try await cachedToken()
            let (status, answer) = try await exchange(
                url: configuration.environment.baseURL + endpoint.path, method: .POST,
                headers: [("Authorization", "Bearer " + token.value.value), ("Content-Type", "application/json")],
                body: payload, kind: kind, endpoint: endpoint)
            if (200..<300).contains(status) {
                do {
                    return try JSONDecoder().decode(Answer.self, from: answer)
                } catch {
                    if kind == .mutation {
                        throw .outcomeUnknown("undecodable 2xx answer", status: status, cause: error)
                    }
                    throw .invalidResponse("undecodable answer from \(endpoint.path)", status: status, cause: error)
                }
            }
            let envelope = (try? JSONDecoder().decode(ErrorEnvelope.self, from: answer)).map { scrub($0, token) }
            if let code = envelope?.errorCode, DarajaErrorCode.invalidToken.contains(code), !tokenRetried {
                tokenRetried = true
                logger.debug("daraja token refused; refreshing once", metadata: ["daraja.error_code": "\(code)"])
                await tokenCache.invalidate(token)
                continue
            }
            throw failure(status: status, envelope: envelope, kind: kind)
        }
    }

    /// The error for a non-2xx answer that was not retried.
    func failure(status: Int, envelope: ErrorEnvelope?, kind: OperationKind) -> DarajaError {
        guard kind == .mutation, status >= 500 else {
            return kind == .query && Self.isRetryable(status: status, envelope: envelope)
                ? .transport("Daraja kept failing", status: status, envelope: envelope)
                : .rejected(status, envelope)
        }
        // A 5xx on a mutation: definitive refusals keep `.rejected`, anything else is unknown.
        if let code = envelope?.errorCode, Self.definitiveServerCodes.contains(code) {
            return .rejected(status, envelope)
        }
        return .outcomeUnknown("HTTP \(status) from Daraja", status: status, envelope: envelope)
    }

    /// 5xx error codes that mean Daraja refused the request without acting on it.
    static let definitiveServerCodes: Set<String> = [
        DarajaErrorCode.merchantValidation, DarajaErrorCode.duplicateOriginatorConversationID,
        DarajaErrorCode.spikeArrest, DarajaErrorCode.quotaViolation,
    ]

    /// Whether a query answered with `status` is worth retrying.
    static func isRetryable(status: Int, envelope: ErrorEnvelope?) -> Bool {
        if envelope?.errorCode == DarajaErrorCode.merchantValidation { return false }  // "being processed" etc.
        return status == 429 || status >= 500
    }

    /// One HTTP exchange with bounded retries for queries. Returns the status and the body.
    ///
    /// It uses AsyncHTTPClient's event-loop API: the whole answer is collected on the connection's event loop
    /// and the task resumes once, where the async API resumes it for the head and again for the body (thread
    /// wake-ups that cost a measurable share of a payment's CPU on a 2-core machine).
    func exchange(
        url: String, method: HTTPMethod, headers: [(String, String)], body: Data?, kind: OperationKind,
        endpoint: DarajaEndpoint
    ) async throws(DarajaError) -> (Int, Data) {
        let request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(
                url: url, method: method, headers: HTTPHeaders(headers), body: body.map { .bytes($0) })
        } catch {
            throw .invalidInput("bad Daraja URL \(url): \(error)")
        }
        var attempt = 0
        while true {
            do {
                let accumulator = ResponseAccumulator(request: request, maxBodySize: configuration.responseBodyBytesMax)
                let response = try await httpClient.execute(
                    request: request, delegate: accumulator,
                    deadline: .now() + .milliseconds(configuration.requestTimeoutMs)
                ).futureResult.get()
                let body = response.body ?? ByteBuffer()
                let status = Int(response.status.code)
                let canRetry = kind == .query && attempt < configuration.queryRetryCountMax
                if canRetry, Self.isRetryable(status: status, envelope: Self.envelope(in: body)) {
                    attempt += 1
                    logger.debug(
                        "daraja query retry", metadata: ["daraja.path": "\(endpoint.path)", "http.status": "\(status)"])
                    try await backoff(attempt: attempt)
                    continue
                }
                return (status, Data(body.readableBytesView))
            } catch let error as DarajaError {
                throw error
            } catch {
                if kind == .query, attempt < configuration.queryRetryCountMax, !(error is CancellationError) {
                    attempt += 1
                    logger.debug(
                        "daraja query retry after network error", metadata: ["daraja.path": "\(endpoint.path)"])
                    try await backoff(attempt: attempt)
                    continue
                }
                if Self.certainlyNotSent(error) { throw .unreachable(error) }
                if kind == .mutation { throw .outcomeUnknown("network failure on \(endpoint.path)", cause: error) }
                throw .transport("network failure on \(endpoint.path)", cause: error)
            }
        }
    }

    static func envelope(in body: ByteBuffer) -> ErrorEnvelope? {
        try? JSONDecoder().decode(ErrorEnvelope.self, from: Data(body.readableBytesView))
    }

    func backoff(attempt: Int) async throws(DarajaError) {
        let exponent = min(attempt - 1, 16)
        let ceiling = min(configuration.retryBackoffBaseMs << exponent, configuration.retryBackoffMaxMs)
        let delayMs = ceiling / 2 + Int64.random(in: 0...max(ceiling / 2, 1))
        do {
            try await Task.sleep(for: .milliseconds(delayMs))
        } catch {
            throw .transport("cancelled while backing off")
        }
    }

    /// Errors raised before a single byte of the request could have left: connection never made.
    static func certainlyNotSent(_ error: any Error) -> Bool {
        if let error = error as? HTTPClientError {
            return [
                HTTPClientError.connectTimeout, .getConnectionFromPoolTimeout, .tlsHandshakeTimeout, .invalidURL,
                .emptyHost, .emptyScheme, .alreadyShutdown,
            ].contains(error)
        }
        if let error = error as? IOError { return error.errnoCode == ECONNREFUSED }
        let typeName = String(describing: type(of: error))
        return typeName.contains("NIOConnectionError") || typeName.contains("ConnectionRefused")
    }

    /// Daraja echoes the token in some messages (`401.002.01 ... - <token>`): never keep it.
    func scrub(_ envelope: ErrorEnvelope, _ token: AccessTokenCache.Token) -> ErrorEnvelope {
        var scrubbed = envelope
        scrubbed.errorMessage = envelope.errorMessage.replacingOccurrences(of: token.value.value, with: "<redacted>")
        return scrubbed
    }
}
