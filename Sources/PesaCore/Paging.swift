extension Collection {
    /// A page of a list in this order: the `limit` elements after the one whose id is `cursor` (from the
    /// start when it is nil), and whether more follow. Nil when no element has the cursor's id.
    public func page(after cursor: String?, limit: Int, id: (Element) -> String) -> (items: [Element], more: Bool)? {
        var rest = self[...]
        if let cursor {
            guard let index = firstIndex(where: { id($0) == cursor }) else { return nil }
            rest = self[index...].dropFirst()
        }
        // Whether one more follows, without counting the rest (a lazy list would be walked to its end).
        return (Array(rest.prefix(limit)), !rest.dropFirst(limit).isEmpty)
    }
}
