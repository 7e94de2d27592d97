import Foundation
import PesaTesting
import Testing

/// Usage through the real server: what `GET /v1/usage` shows equals what was done (a retried push with its
/// `Idempotency-Key` is one unit), API calls survive a clean stop, and `pesa usage rebuild` recomputes the
/// same month from the journal with no difference, also after a compaction.
@Suite(.serialized) struct UsageEndToEndTests {
    let payments = PaymentEndToEndTests()
    let payouts = PayoutEndToEndTests()

    static func currentMonth() -> String {
        let kenya = Date().addingTimeInterval(3 * 3600)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let parts = calendar.dateComponents([.year, .month], from: kenya)
        return String(format: "%04d-%02d", parts.year ?? 0, parts.month ?? 0)
    }

    @Test func usageEqualsWhatWasDoneAndTheJournalRebuildsIt() async throws {
        let temp = TemporaryDirectory("e2e-usage")
        defer { temp.remove() }
        let server = ServerProcess(dataDirectory: temp.path, environment: ["PESA_SANDBOX_CALLBACK_DELAY_MS": "20"])
        try await server.start(["--demo"])
        let key = try await payments.demoKey(server)
        let month = Self.currentMonth()
        let (_, first, _) = try await payments.push(server, key: key, phone: "0708374149", idempotencyKey: "u-1")
        let (_, again, _) = try await payments.push(server, key: key, phone: "0708374149", idempotencyKey: "u-1")
        #expect(first?["id"] as? String == again?["id"] as? String)
        let firstID = try #require(first?["id"] as? String)
        _ = try await payments.waitForStatus(server, firstID, key: key)
        let (_, failed, _) = try await payments.push(server, key: key, phone: "254700001032")
        _ = try await payments.waitForStatus(server, try #require(failed?["id"] as? String), key: key)

        let (status, usage) = try await server.request("GET", "/v1/usage?month=\(month)", token: key)
        #expect(status == 200)
        #expect(usage?["timezone"] as? String == "Africa/Nairobi (EAT, UTC+3)")
        let items = try #require(usage?["items"] as? [String: [String: Any]])
        #expect(items["stk_pushes"]?["count"] as? Int == 2)
        #expect(items["collections_succeeded"]?["count"] as? Int == 1)
        #expect(items["collections_succeeded"]?["volume"] as? Int == 10)
        let calls = try #require(usage?["api_calls"] as? Int)
        #expect(calls >= 6)  // the pushes, the polls and this read, at least
        let (_, daily) = try await server.request("GET", "/v1/usage/daily?month=\(month)", token: key)
        #expect((daily?["data"] as? [[String: Any]])?.isEmpty == false)
        let (badMonth, bad) = try await server.request("GET", "/v1/usage?month=2026-13", token: key)
        #expect(badMonth == 422)
        #expect(payouts.error(bad)?["param"] as? String == "month")
        let admin = try await payouts.demoAdminToken(server)
        let (subscribed, subscription) = try await server.request("GET", "/v1/subscription", token: admin)
        #expect(subscribed == 200)
        let plan = try #require(subscription?["plan"] as? [String: Any])
        let used = try #require(subscription?["usage"] as? [String: Any])
        let included = try #require(plan["included_api_calls"] as? Int)
        let callsNow = try #require(used["api_calls"] as? Int)
        #expect(callsNow > calls)
        #expect(used["api_calls_left"] as? Int == max(0, included - callsNow))
        #expect((used["items"] as? [String: [String: Any]])?["stk_pushes"]?["count"] as? Int == 2)
        let (managerRead, _) = try await server.request("GET", "/v1/subscription", token: key)
        #expect(managerRead == 403)
        server.stop()  // a clean stop journals the calls counted in memory

        let rebuilt = try await PesaBinary.run(["usage", "rebuild", "--data", temp.path, "--month", month])
        #expect(rebuilt.status == 0, "\(rebuilt.stdout)\(rebuilt.stderr)")
        #expect(rebuilt.stdout.contains("stk_pushes 2"))
        #expect(rebuilt.stdout.contains("no difference"))
        let journaledCalls = try #require(
            rebuilt.stdout.range(of: #"api_calls [0-9]+"#, options: .regularExpression).map {
                Int(rebuilt.stdout[$0].dropFirst("api_calls ".count))
            } ?? nil)
        #expect(journaledCalls >= calls)
        let compacted = try await PesaBinary.run(["compact", "--data", temp.path, "--grace-seconds", "0"])
        #expect(compacted.status == 0, "\(compacted.stderr)")
        let afterCompaction = try await PesaBinary.run(["usage", "rebuild", "--data", temp.path, "--month", month])
        #expect(afterCompaction.status == 0, "\(afterCompaction.stdout)")
        #expect(afterCompaction.stdout.contains("api_calls \(journaledCalls),"))
        let refused = try await PesaBinary.run(["usage", "rebuild", "--data", temp.path, "--month", "12-2026"])
        #expect(refused.status != 0)
    }
}
