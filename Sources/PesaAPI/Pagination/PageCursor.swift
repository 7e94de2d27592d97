import Foundation
import PesaCore

/// An opaque list position: the engine's own position text (an id, a sequence number), base64url-encoded
/// so that callers treat it as a token. A malformed `?cursor=` is 422 naming `cursor`.
public struct PageCursor: Hashable, Sendable, CustomStringConvertible {
    /// What the engine put in: where the next page starts.
    public let position: String

    public init(position: String) {
        self.position = position
    }

    /// Parses the `cursor` query value.
    public init(token: String, param: String = "cursor") throws(APIError) {
        guard !token.isEmpty, token.utf8.count <= Limits.cursorCharactersMax,
            let data = Base64URL.decode(token), let position = String(data: data, encoding: .utf8),
            !position.isEmpty
        else { throw .invalidField(param, "\(param) is not a cursor this API returned") }
        self.position = position
    }

    /// The `next_cursor` value.
    public var token: String { Base64URL.encode(Array(position.utf8)) }

    public var description: String { token }
}
