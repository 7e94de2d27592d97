import PesaCore

extension PageRequest {
    /// This page of `items` (in the order given; `Collection.page`) and the cursor of the next page (nil on
    /// the last). 422 naming `cursor` when no item has the cursor's id.
    func slice<Item>(_ items: [Item], id: (Item) -> String) throws(APIError) -> (items: [Item], next: PageCursor?) {
        guard let (shown, more) = items.page(after: cursor?.position, limit: limit, id: id) else {
            throw .invalidField("cursor", "cursor names nothing in this list")
        }
        return (shown, more ? shown.last.map { PageCursor(position: id($0)) } : nil)
    }
}
