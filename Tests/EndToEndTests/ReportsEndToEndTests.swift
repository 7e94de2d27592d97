import Foundation
import PesaTesting
import Testing

/// Reports through the real server and its embedded sandbox: the summary and the CSV of each organization agree
/// with its transaction list row for row, with and without filters, and neither shows anything of the other.
@Suite(.serialized) struct ReportsEndToEndTests {
    let payments = PaymentEndToEndTests()
    let isolation = ShortCodeIsolationEndToEndTests()

    func listAll(_ server: ServerProcess, _ query: String, token: String) async throws -> [[String: Any]] {
        var rows: [[String: Any]] = []
        var cursor: String?
        repeat {
            let (status, page) = try await server.request(
                "GET", "/v1/transactions?limit=3&\(query)" + (cursor.map { "&cursor=\($0)" } ?? ""), token: token)
            #expect(status == 200)
            rows += page?["data"] as? [[String: Any]] ?? []
            cursor = page?["next_cursor"] as? String
        } while cursor != nil
        return rows
    }

    func csvIDs(_ server: ServerProcess, _ query: String, token: String) async throws -> [String] {
        let (status, data, headers) = try await server.raw("GET", "/v1/reports/transactions.csv?\(query)", token: token)
        #expect(status == 200)
        #expect(headers["content-type"]?.hasPrefix("text/csv") == true)
        #expect(headers["content-disposition"]?.hasPrefix("attachment; filename=") == true)
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        #expect(lines.first?.hasPrefix("id,type,status,amount,phone,receipt,reference,") == true)
        return lines.dropFirst().map { String($0.prefix { $0 != "," }) }
    }

    @Test func summaryAndCSVAgreeWithTheListAndStayWithinTheirOrganization() async throws {
        let world = try await isolation.makeWorld()
        defer { world.stop() }
        let server = world.server
        var aIDs: [String] = []
        for phone in ["0708374149", "254700001032", "0708374149"] {
            let (status, payment, _) = try await payments.push(server, key: world.aKey, phone: phone)
            #expect(status == 201)
            let id = try #require(payment?["id"] as? String)
            _ = try await payments.waitForStatus(server, id, key: world.aKey)
            aIDs.append(id)
        }
        _ = try await isolation.create(
            server, world.bAdmin,
            isolation.profile("Beta paybill", "sandbox", "174379", "paybill", key: "beta-pay-BBB1"))
        let (pushed, bPush) = try await server.request(
            "POST", "/v1/payments/stk-push", token: world.bAdmin, json: isolation.push("-B-1", on: "174379"))
        #expect(pushed == 201)
        let bID = try #require(bPush?["id"] as? String)
        _ = try await payments.waitForStatus(server, bID, key: world.bAdmin)

        for (token, own, other) in [(world.aKey, aIDs, [bID]), (world.bAdmin, [bID], aIDs)] {
            for query in ["", "status=succeeded", "status=cancelled&tz=UTC", "short_code=174379", "type=stk_push"] {
                let listed = try await listAll(server, query, token: token)
                let ids = listed.compactMap { $0["id"] as? String }
                let (status, summary) = try await server.request("GET", "/v1/reports/summary?\(query)", token: token)
                #expect(status == 200)
                #expect(summary?["count"] as? Int == listed.count, "\(query)")
                let days = summary?["by_day"] as? [[String: Any]] ?? []
                #expect(days.reduce(0) { $0 + ($1["count"] as? Int ?? 0) } == listed.count)
                let volume = listed.reduce(0) { $0 + (($1["amount"] as? NSNumber)?.doubleValue ?? 0) }
                #expect((summary?["volume"] as? NSNumber)?.doubleValue == volume)
                #expect(try await csvIDs(server, query, token: token) == ids, "\(query)")
                #expect(Set(ids).isDisjoint(with: other))
            }
            #expect(Set(try await csvIDs(server, "", token: token)) == Set(own))
        }
        let (_, a) = try await server.request("GET", "/v1/reports/summary", token: world.aKey)
        #expect((a?["by_status"] as? [String: [String: Any]])?["succeeded"]?["count"] as? Int == 2)
        #expect((a?["by_short_code"] as? [String: [String: Any]])?["174379"]?["count"] as? Int == 3)
        #expect((a?["success_rate"] as? NSNumber)?.doubleValue == 0.6667)
        let (_, bCSV, _) = try await server.raw("GET", "/v1/reports/transactions.csv", token: world.bAdmin)
        #expect(String(decoding: bCSV, as: UTF8.self).contains(",'-B-1,"))
        let (badTZ, bad) = try await server.request("GET", "/v1/reports/summary?tz=Europe/Paris", token: world.aKey)
        #expect(badTZ == 422)
        #expect((bad?["error"] as? [String: Any])?["param"] as? String == "tz")
    }
}
