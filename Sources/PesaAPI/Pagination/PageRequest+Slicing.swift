extension PageRequest {
    /// This page of `items` (in the order given): the `limit` after the item whose id is the cursor, and the
    /// cursor of the next page (nil on the last). 422 naming `cursor` when no item has the cursor's id.
    func slice<Item>(_ items: [Item], id: (Item) -> String) throws(APIError) -> (items: [Item], next: PageCursor?) {
        var start = 0
        if let cursor {
            guard let index = items.firstIndex(where: { id($0) == cursor.position }) else {
                throw .invalidField("cursor", "cursor names nothing in this list")
            }
            start = index + 1
        }
        let end = min(items.count, start + limit)
        let next = end < items.count && end > start ? PageCursor(position: id(items[end - 1])) : nil
        return (Array(items[start..<end]), next)
    }
}
