import PesaCore
import Testing

/// `Collection.page`: after the cursor's element, at most `limit`, and whether more follow.
@Suite struct PagingTests {
    @Test func pagesFollowTheCursorAndSayWhetherMoreFollow() {
        let ids = ["a", "b", "c"]
        #expect(ids.page(after: nil, limit: 2, id: { $0 })?.items == ["a", "b"])
        #expect(ids.page(after: nil, limit: 2, id: { $0 })?.more == true)
        #expect(ids.page(after: "b", limit: 2, id: { $0 })?.items == ["c"])
        #expect(ids.page(after: "b", limit: 2, id: { $0 })?.more == false)
        #expect(ids.page(after: "c", limit: 2, id: { $0 })?.items == [])
        #expect(ids.page(after: "z", limit: 2, id: { $0 }) == nil)
    }
}
