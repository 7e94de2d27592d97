import Foundation
import Hummingbird
import NIOCore
import HummingbirdTesting
import PesaAPI
import PesaCore
import Testing

@Suite struct PaginationTests {
    struct Page: Decodable {
        let data: [String]
        let next_cursor: String?
    }

    func list(_ query: String) async throws -> TestResponse {
        let app = await TestApp()
        let token = try await app.token(role: .user, organization: TestApp.orgA)
        return try await app.test { client in
            try await client.execute(uri: "/v1/things\(query)", method: .get, headers: TestApp.bearer(token))
        }
    }

    @Test func defaultAndExplicitLimits() async throws {
        let page = try JSONDecoder().decode(Page.self, from: Data(try await list("").body.readableBytesView))
        #expect(page.data.count == Limits.pageLimitDefaultCount)
        let max = try await list("?limit=\(Limits.pageLimitCountMax)")
        #expect(try JSONDecoder().decode(Page.self, from: Data(max.body.readableBytesView)).data.count == 500)
    }

    @Test(arguments: ["0", "501", "-1", "abc", "1.5", ""])
    func badLimitIs422NamingLimit(limit: String) async throws {
        let response = try await list("?limit=\(limit)")
        #expect(response.status == .unprocessableContent)
        let error = try ErrorBody.decode(response)
        #expect(error.code == "INVALID_FIELD")
        #expect(error.param == "limit")
    }

    @Test func cursorRoundTripsOpaquely() async throws {
        let first = try JSONDecoder().decode(Page.self, from: Data(try await list("?limit=2").body.readableBytesView))
        #expect(first.data == ["item-0--1", "item-1--1"])
        let cursor = try #require(first.next_cursor)
        #expect(cursor != "2")  // opaque, not the raw position
        let second = try await list("?limit=2&cursor=\(cursor)")
        let page = try JSONDecoder().decode(Page.self, from: Data(second.body.readableBytesView))
        #expect(page.data.first == "item-2--1")
        #expect(try PageCursor(token: PageCursor(position: "pay_123|42").token).position == "pay_123|42")
    }

    @Test(arguments: ["", "!!!", "a", "%2B%2F", String(repeating: "A", count: Limits.cursorCharactersMax + 4)])
    func malformedCursorIs422NamingCursor(cursor: String) async throws {
        let response = try await list("?cursor=\(cursor)")
        #expect(response.status == .unprocessableContent)
        #expect(try ErrorBody.decode(response).param == "cursor")
    }

    @Test func lastPageHasNullNextCursor() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(ListResponse<String>(data: [], nextCursor: nil))
        #expect(String(decoding: data, as: UTF8.self) == #"{"data":[],"next_cursor":null}"#)
    }

    @Test(arguments: [
        ("2026-01-31T00:00:00Z", Int64(1_769_817_600_000)),
        ("2026-01-31T03:00:00+03:00", Int64(1_769_817_600_000)),
        ("2026-01-31T00:00:00.250Z", Int64(1_769_817_600_250)),
        ("2026-01-31t00:00:00z", Int64(1_769_817_600_000)),
    ])
    func rfc3339TimesParse(text: String, ms: Int64) throws {
        #expect(try TimeRange.parse(text, param: "from") == ms)
    }

    @Test(arguments: ["2026-01-31", "yesterday", "2026-13-01T00:00:00Z", "1769817600", "2026-01-31T00:00:00"])
    func badTimesAre422NamingTheParam(text: String) async throws {
        let response = try await list("?to=\(text)")
        #expect(response.status == .unprocessableContent)
        #expect(try ErrorBody.decode(response).param == "to")
    }

    @Test func fromAfterToIs422NamingFrom() async throws {
        let response = try await list("?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z")
        #expect(try ErrorBody.decode(response).param == "from")
        let ok = try await list("?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&limit=1")
        #expect(ok.status == .ok)
        #expect(ok.text.contains("item-0-1767225600000"))
        let range = TimeRange(fromMs: 10, toMs: 20)
        #expect(range.contains(10) && range.contains(19) && !range.contains(20) && !range.contains(9))
    }
}
