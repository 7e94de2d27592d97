public import Hummingbird
import HTTPTypes

/// A page of a list: `{"data": [...], "next_cursor": "..." | null}`.
public struct ListResponse<Item: Encodable & Sendable>: ResponseEncodable, Sendable {
    public let data: [Item]
    public let nextCursor: PageCursor?

    public init(data: [Item], nextCursor: PageCursor?) {
        self.data = data
        self.nextCursor = nextCursor
    }

    enum CodingKeys: String, CodingKey {
        case data
        case nextCursor = "next_cursor"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(data, forKey: .data)
        // Always present: null on the last page.
        try container.encode(nextCursor?.token, forKey: .nextCursor)
    }
}
