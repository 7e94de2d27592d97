public import Hummingbird
import HTTPTypes
public import Foundation
import NIOCore
import PesaCore

extension Request {
    /// The whole body, at most `context.bodyBytesMax` bytes (413 `PAYLOAD_TOO_LARGE` beyond).
    public func collectBody(context: PesaRequestContext) async throws -> ByteBuffer {
        do {
            return try await body.collect(upTo: context.bodyBytesMax)
        } catch is NIOTooManyBytesError {
            throw APIError.payloadTooLarge(bytesMax: context.bodyBytesMax)
        }
    }

    /// Decodes a JSON body with the contract's answers: 413 beyond `context.bodyBytesMax`, 400
    /// `MALFORMED_JSON` for anything that is not a JSON object, 422 `INVALID_FIELD` naming the `param`
    /// (`items[2].amount`) for a missing, null or wrongly typed field. Unknown fields are ignored.
    /// Errors a type's own `init(from:)` throws (PesaCoreError for a bad phone) go to `ErrorMapping`.
    public func decodeJSON<T: Decodable>(as type: T.Type = T.self, context: PesaRequestContext) async throws -> T {
        let buffer = try await collectBody(context: context)
        return try JSONBody.decode(T.self, from: Data(buffer.readableBytesView))
    }

    /// `decodeJSON` for a route whose body is optional: an empty body (or only whitespace) is nil.
    public func decodeOptionalJSON<T: Decodable>(as type: T.Type = T.self, context: PesaRequestContext) async throws
        -> T?
    {
        let buffer = try await collectBody(context: context)
        let bytes = buffer.readableBytesView
        guard bytes.contains(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return nil }
        return try JSONBody.decode(T.self, from: Data(bytes))
    }
}

/// The decoding rules of `Request.decodeJSON`, callable on bytes.
public enum JSONBody {
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try StrictJSON.check(Array(data))
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw apiError(for: error)
        }
    }

    static func apiError(for error: DecodingError) -> APIError {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return .malformedJSON()
        case .dataCorrupted(let context):
            let param = path(context.codingPath)
            return .invalidField(param, "\(param) is not valid")
        case .keyNotFound(let key, let context):
            let param = path(context.codingPath + [key])
            return .invalidField(param, "\(param) is required")
        case .valueNotFound(_, let context) where context.codingPath.isEmpty,
            .typeMismatch(_, let context) where context.codingPath.isEmpty:
            return .malformedJSON("the request body must be a JSON object")
        case .valueNotFound(_, let context):
            let param = path(context.codingPath)
            return .invalidField(param, "\(param) is required")
        case .typeMismatch(let type, let context):
            let param = path(context.codingPath)
            return .invalidField(param, "\(param) must be \(describe(type))")
        @unknown default:
            return .malformedJSON()
        }
    }

    /// `items[2].amount` from a coding path.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return text.isEmpty ? "body" : text
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type, is UInt64.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is [Any].Type: "an array"
        case is [String: Any].Type: "an object"
        default: "of another type"
        }
    }
}
