/// A list Daraja sends as a JSON array in one payload and as a single object in another
/// (`ResultParameter`, `ReferenceItem`). Encoding keeps the form it was decoded or built with.
public struct OneOrMany<Element: Codable & Sendable & Hashable>: Codable, Sendable, Hashable {
    public var elements: [Element]
    /// Whether this list goes on the wire as a single object (only meaningful with one element).
    public var encodesAsSingleObject: Bool

    public init(_ elements: [Element]) {
        self.elements = elements
        self.encodesAsSingleObject = false
    }

    public init(single element: Element) {
        self.elements = [element]
        self.encodesAsSingleObject = true
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let many = try? container.decode([Element].self) {
            self.init(many)
        } else {
            self.init(single: try container.decode(Element.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if encodesAsSingleObject, elements.count == 1 {
            try container.encode(elements[0])
        } else {
            try container.encode(elements)
        }
    }
}
