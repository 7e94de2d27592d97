import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PesaAPI
import PesaCore
import PesaEngine
import Testing

/// `GET /v1/transactions?phone=…&receipt=…` through the real router and engine, with the summary and the CSV,
/// which take the same filters: a phone in any form an STK push takes, a receipt in any case, never another
/// organization's payments, and unreadable values answered 422 naming their parameter.
@Suite struct TransactionFilterRouteTests {
    /// Pushes from 0799 000 111 in both organizations, each one settled with the same receipt number.
    static func journalPhonePayments(_ world: ReportsRouteTests.World) async throws -> [OrganizationID: [String]] {
        var ids: [OrganizationID: [String]] = [:]
        for (organization, count) in [(world.acme, 3), (world.globex, 2)] {
            var events: [TenantEvent] = []
            for index in 0..<count {
                let id = PaymentID(randomBytes: CommandContext.randomBytes(16))
                ids[organization, default: []].append(id.rawValue)
                events.append(.stkPushRequested(.init(
                    paymentID: id, amount: Amount(shillings: 10 + Int64(index)), phone: try MSISDN("0799000111"),
                    accountReference: "PH-\(index)", description: "Phone")))
                if index == 0 {
                    events.append(.paymentSettled(.init(
                        paymentID: id, resultCode: ResultCode(0), resultDesc: "ok", mpesaReceipt: "QAB1CD2EF3",
                        source: .callback)))
                }
            }
            let decided = events
            try await world.gateway.engine(organization).execute { (_, _) throws(EngineError) in
                Decision(events: decided, value: ())
            }
        }
        return ids
    }

    @Test func phoneAndReceiptSelectTheOrganizationsPaymentsInListSummaryAndCSV() async throws {
        let world = try await ReportsRouteTests.world()
        let ids = try await Self.journalPhonePayments(world)
        let app = Application(router: world.api.buildRouter(), logger: Logger(label: "test"))
        try await app.test(.router) { client in
            for phone in ["0799000111", "254799000111", "%2B254%20799%20000%20111", "799-000-111"] {
                let listed = try await ReportsRouteTests.listAll(client, "phone=\(phone)", token: world.manager)
                #expect(Set(listed.compactMap { $0["id"] as? String }) == Set(ids[world.acme] ?? []), "\(phone)")
                #expect(listed.allSatisfy { $0["phone"] as? String == "254799000111" })
                let summary = try ReportsRouteTests.json(
                    try await ReportsRouteTests.get(client, "/v1/reports/summary?phone=\(phone)", token: world.manager))
                #expect(summary["count"] as? Int == 3)
            }
            for receipt in ["QAB1CD2EF3", "qab1cd2ef3", "QaB1cD2eF3"] {
                let listed = try await ReportsRouteTests.listAll(client, "receipt=\(receipt)", token: world.manager)
                #expect(listed.compactMap { $0["id"] as? String } == [ids[world.acme]?.first], "\(receipt)")
                #expect(listed.first?["mpesa_receipt"] as? String == "QAB1CD2EF3")
                let csv = try await ReportsRouteTests.get(
                    client, "/v1/reports/transactions.csv?receipt=\(receipt)&phone=0799000111", token: world.manager)
                #expect(String(buffer: csv.body).split(separator: "\n").count == 2)
            }
            let both = try await ReportsRouteTests.listAll(
                client, "receipt=QAB1CD2EF3&status=pending", token: world.manager)
            #expect(both.isEmpty)
            let none = try await ReportsRouteTests.listAll(client, "receipt=QAB1CD2EF4", token: world.manager)
            #expect(none.isEmpty)
        }
        await world.gateway.close()
    }

    @Test func unreadablePhonesAndReceiptsAre422NamingThem() async throws {
        let world = try await ReportsRouteTests.world()
        let app = Application(router: world.api.buildRouter(), logger: Logger(label: "test"))
        try await app.test(.router) { client in
            let long = String(repeating: "A", count: 33)
            for (query, param) in [
                ("phone=12345", "phone"), ("phone=0608374149", "phone"), ("phone=%2B1555123456", "phone"),
                ("phone=07o8374149", "phone"), ("receipt=QAB-1CD", "receipt"), ("receipt=\(long)", "receipt"),
                ("receipt=%3Cscript%3E", "receipt"),
            ] {
                for path in ["/v1/transactions", "/v1/reports/summary", "/v1/reports/transactions.csv"] {
                    let response = try await ReportsRouteTests.get(client, "\(path)?\(query)", token: world.manager)
                    #expect(response.status.code == 422, "\(path)?\(query)")
                    #expect(try ErrorBody.decode(response).param == param, "\(path)?\(query)")
                }
            }
        }
        await world.gateway.close()
    }
}
