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

    /// Lists of `JSONWritable` items are written with `JSONWriter`; others go through the encoder.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let writable = data.compactMap { $0 as? any JSONWritable }
        guard writable.count == data.count else {
            return try context.responseEncoder.encode(self, from: request, context: context)
        }
        return Page(items: writable, nextCursor: nextCursor?.token).jsonResponse()
    }

    struct Page: JSONWritable {
        let items: [any JSONWritable]
        let nextCursor: String?

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.key("data")
                json.array(items) { json, item in item.write(to: &json) }
                json.fieldOrNull("next_cursor", nextCursor)
            }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(data, forKey: .data)
        // Always present: null on the last page.
        try container.encode(nextCursor?.token, forKey: .nextCursor)
    }
}
