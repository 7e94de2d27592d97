public import Hummingbird
import HTTPTypes
import Foundation
import PesaCore

/// `?from=` / `?to=` in RFC 3339 (`2026-11-28T10:00:00Z`, fractional seconds and offsets allowed), as Unix
/// milliseconds. A malformed value is 422 naming its parameter; `from` after `to` is 422 naming `from`.
public struct TimeRange: Hashable, Sendable {
    public let fromMs: Int64?
    public let toMs: Int64?

    public init(fromMs: Int64?, toMs: Int64?) {
        self.fromMs = fromMs
        self.toMs = toMs
    }

    public init(request: Request, fromParam: String = "from", toParam: String = "to") throws(APIError) {
        let query = request.uri.queryParameters
        let from = try query[Substring(fromParam)].map { text throws(APIError) in
            try Self.parse(String(text), param: fromParam)
        }
        let to = try query[Substring(toParam)].map { text throws(APIError) in
            try Self.parse(String(text), param: toParam)
        }
        if let from, let to, from > to { throw .invalidField(fromParam, "\(fromParam) must not be after \(toParam)") }
        self.fromMs = from
        self.toMs = to
    }

    /// Whether `ms` is inside the range (`from` inclusive, `to` exclusive).
    public func contains(_ ms: Int64) -> Bool {
        TimeWindow.contains(ms, fromMs: fromMs, toMs: toMs)
    }

    /// Parses one RFC 3339 date-time into Unix milliseconds.
    public static func parse(_ text: String, param: String) throws(APIError) -> Int64 {
        let plain = Date.ISO8601FormatStyle()
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        guard text.utf8.count <= 64, text.contains("T") || text.contains("t"),
            let date = (try? plain.parse(text.uppercased())) ?? (try? fractional.parse(text.uppercased()))
        else { throw .invalidField(param, "\(param) must be an RFC 3339 date-time such as 2026-01-31T00:00:00Z") }
        return Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }
}
