public import Hummingbird
import HTTPTypes
import PesaCore

/// `?limit=` (default `Limits.pageLimitDefaultCount`, 1...`Limits.pageLimitCountMax`, else 422 naming
/// `limit`) and `?cursor=` (opaque, else 422 naming `cursor`).
public struct PageRequest: Hashable, Sendable {
    public let limit: Int
    /// nil for the first page.
    public let cursor: PageCursor?

    public init(limit: Int, cursor: PageCursor?) {
        self.limit = limit
        self.cursor = cursor
    }

    public init(request: Request) throws(APIError) {
        let query = request.uri.queryParameters
        if let text = query["limit"] {
            guard let limit = Int(text), (1...Limits.pageLimitCountMax).contains(limit) else {
                throw .invalidField("limit", "limit must be an integer from 1 to \(Limits.pageLimitCountMax)")
            }
            self.limit = limit
        } else {
            self.limit = Limits.pageLimitDefaultCount
        }
        self.cursor = try query["cursor"].map { text throws(APIError) in try PageCursor(token: String(text)) }
    }
}
