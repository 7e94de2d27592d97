import DarajaWire
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Reads requests the way Daraja does: the bearer token first, then a JSON object body.
enum RequestReader {
    enum Family { case stk, initiator }

    /// The consumer key behind the request's bearer token, or Daraja's token error for `family`.
    static func authorize(
        _ request: Request, family: Family, services: SandboxServices
    ) throws(SandboxHTTPError) -> String {
        let header = request.headers[.authorization] ?? ""
        let token = header.hasPrefix("Bearer ") ? String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces) : ""
        let now = ContinuousClock.now
        let record = services.state.withLock { storage -> TokenRecord? in
            guard let record = storage.tokens[token], record.expiresAt > now else { return nil }
            return record
        }
        guard let record else {
            switch family {
            case .stk:
                throw SandboxHTTPError(.notFound, DarajaErrorCode.invalidTokenSTK, "Invalid Access Token")
            case .initiator:
                throw SandboxHTTPError(
                    .unauthorized, DarajaErrorCode.invalidTokenInitiatorAPIs,
                    "Error Occurred - Invalid Access Token - \(token.isEmpty ? "Access Token Not Found" : token)"
                )
            }
        }
        if services.configuration.consumerKeysWithoutProducts.contains(record.consumerKey) {
            throw SandboxHTTPError(
                .unauthorized, DarajaErrorCode.noAPIProductMatch,
                "Error Occurred - Invalid Access Token - Invalid API call as no apiproduct match found"
            )
        }
        return record.consumerKey
    }

    /// The body as a JSON object, or `400.002.05 Invalid Request Payload`.
    static func body(_ request: Request, services: SandboxServices) async throws(SandboxHTTPError) -> [String:
        JSONValue]
    {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: services.configuration.requestBodyBytesMax)
        } catch {
            throw .invalidPayload
        }
        guard let object = try? JSONDecoder().decode([String: JSONValue].self, from: Data(buffer.readableBytesView))
        else {
            throw .invalidPayload
        }
        return object
    }
}

/// Field rules shared by the endpoints (Daraja's M-Pesa Express, B2C and callback URL rules). Lenient on types,
/// strict on values.
enum FieldRules {
    static func isDigits(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// A 5 to 7 digit shortcode.
    static func isShortCode(_ text: String?) -> Bool {
        guard let text else { return false }
        return isDigits(text) && (5...7).contains(text.count)
    }

    /// A 12-digit Kenyan MSISDN, `2547XXXXXXXX` or `2541XXXXXXXX`.
    static func isMSISDN(_ text: String?) -> Bool {
        guard let text else { return false }
        return text.count == 12 && isDigits(text) && (text.hasPrefix("2547") || text.hasPrefix("2541"))
    }

    /// Whole shillings within `range`; `"10"`, `10`, `10.00` are accepted, `10.5` is not.
    static func wholeAmount(_ text: String?, in range: ClosedRange<Int64>) -> Int64? {
        guard let text else { return nil }
        var integerPart = Substring(text)
        if let dot = text.firstIndex(of: ".") {
            guard text[text.index(after: dot)...].allSatisfy({ $0 == "0" }) else { return nil }
            integerPart = text[..<dot]
        }
        guard let amount = Int64(integerPart), range.contains(amount) else { return nil }
        return amount
    }

    /// An absolute http(s) URL with a host and no whitespace.
    static func isCallbackURL(_ text: String?) -> Bool {
        guard let text, text.hasPrefix("http://") || text.hasPrefix("https://"),
            !text.contains(where: { $0.isWhitespace }), let url = URL(string: text), let host = url.host, !host.isEmpty
        else { return false }
        return true
    }

    /// A free-text field of `lengthRange` characters.
    static func isText(_ text: String?, length lengthRange: ClosedRange<Int>) -> Bool {
        guard let text else { return false }
        return lengthRange.contains(text.count)
    }
}
