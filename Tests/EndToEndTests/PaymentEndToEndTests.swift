import Foundation
import PesaTesting
import Testing

/// STK pushes through the real server, called back by its embedded sandbox over loopback.
@Suite(.serialized) struct PaymentEndToEndTests {
    /// The demo organization's API key, printed by `pesa serve --demo`.
    func demoKey(_ server: ServerProcess) async throws -> String {
        guard let key = try await server.printedMatch(#"pk_test_[A-Za-z0-9]+"#, seconds: 20) else {
            throw ServerError("no demo API key printed: \(server.printed)")
        }
        return key
    }

    func waitForStatus(_ server: ServerProcess, _ id: String, key: String, notEqual: String = "pending") async throws
        -> [String: Any]
    {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let (_, payment) = try await server.request("GET", "/v1/payments/\(id)", token: key)
            if let payment, payment["status"] as? String != notEqual { return payment }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ServerError("payment \(id) stayed \(notEqual)")
    }

    func push(_ server: ServerProcess, key: String, phone: String, idempotencyKey: String? = nil) async throws
        -> (Int, [String: Any]?, [String: String])
    {
        let body = try JSONSerialization.data(withJSONObject: [
            "phone": phone, "amount": 10, "account_reference": "INV-9", "description": "E2E",
        ])
        var headers = ["Content-Type": "application/json"]
        if let idempotencyKey { headers["Idempotency-Key"] = idempotencyKey }
        let (status, data, fields) = try await server.raw(
            "POST", "/v1/payments/stk-push", token: key, body: body, headers: headers)
        return (status, (try? JSONSerialization.jsonObject(with: data)) as? [String: Any], fields)
    }

    @Test func aPushIsCalledBackAndSettledAndRetriesAreIdempotent() async throws {
        let temp = TemporaryDirectory("e2e-pay")
        defer { temp.remove() }
        let server = ServerProcess(dataDirectory: temp.path)
        try await server.start(["--demo"])
        defer { server.stop() }
        let key = try await demoKey(server)
        let (status, payment, _) = try await push(server, key: key, phone: "0708374149", idempotencyKey: "order-1")
        #expect(status == 201)
        let id = try #require(payment?["id"] as? String)
        #expect(payment?["status"] as? String == "pending")
        #expect(payment?["checkout_request_id"] as? String != nil)
        // The fields the contract names are there before they are known: null.
        for field in ["mpesa_receipt", "result_code", "result_desc"] {
            #expect(payment?[field] is NSNull, "\(field)")
        }
        let settled = try await waitForStatus(server, id, key: key)
        #expect(settled["status"] as? String == "succeeded")
        #expect(settled["mpesa_receipt"] as? String != nil)
        #expect(settled["result_code"] as? String == "0")
        let timeline = (settled["events"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String }
        // The callback is normally matched (`callback.received`); if it beat Daraja's answer it was an orphan
        // whose result settled the payment when the answer was journaled.
        #expect(timeline.first == "payment.stk_requested")
        #expect(timeline.contains("payment.accepted"))
        #expect(timeline.last == "payment.settled")
        let (replayStatus, replay, headers) = try await push(
            server, key: key, phone: "0708374149", idempotencyKey: "order-1")
        #expect(replayStatus == 201)
        #expect(replay?["id"] as? String == id)
        #expect(replay?["status"] as? String == "succeeded")
        #expect(headers["idempotency-hit"] == "true")
        let (conflict, _, _) = try await push(server, key: key, phone: "0708374150", idempotencyKey: "order-1")
        #expect(conflict == 409)
        let (_, cancelled, _) = try await push(server, key: key, phone: "254700001032")
        let cancelledID = try #require(cancelled?["id"] as? String)
        #expect(try await waitForStatus(server, cancelledID, key: key)["status"] as? String == "cancelled")
        let (bad, badBody, _) = try await push(server, key: key, phone: "12345")
        #expect(bad == 422)
        #expect((badBody?["error"] as? [String: Any])?["param"] as? String == "phone")
        let (_, list) = try await server.request("GET", "/v1/transactions?status=succeeded", token: key)
        #expect((list?["data"] as? [[String: Any]])?.count == 1)
        // A well-formed cursor that names no payment of this organization is refused, not read from the top.
        let stranger = Data("pay_00000000000000000000000000".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        let (unknown, unknownBody) = try await server.request("GET", "/v1/transactions?cursor=\(stranger)", token: key)
        #expect(unknown == 422)
        #expect((unknownBody?["error"] as? [String: Any])?["param"] as? String == "cursor")
    }

    /// kill -9 in the middle of a burst: every payment the API acknowledged is there after the restart.
    @Test func everyAcknowledgedPaymentSurvivesSIGKILL() async throws {
        let temp = TemporaryDirectory("e2e-kill")
        defer { temp.remove() }
        let server = ServerProcess(dataDirectory: temp.path)
        try await server.start(["--demo"])
        let key = try await demoKey(server)
        let acknowledged = Acknowledged()
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<16 {
                group.addTask {
                    for index in 0..<40 {
                        // A phone each: Daraja (and the sandbox) refuse a second push to a phone with one pending.
                        let phone = "0708" + String(format: "%06d", worker * 100 + index)
                        guard let (status, body, _) = try? await push(server, key: key, phone: phone),
                            status == 201, let id = body?["id"] as? String
                        else { return }
                        acknowledged.add(id)
                        if worker == 0 && index == 10 { server.stop(kill: true) }
                    }
                }
            }
        }
        let ids = acknowledged.ids
        #expect(ids.count >= 10, "the burst was acknowledged at least in part before the kill")
        try await server.start()
        defer { server.stop() }
        for id in ids {
            let (status, _) = try await server.request("GET", "/v1/payments/\(id)", token: key)
            #expect(status == 200, "acknowledged payment \(id) lost")
        }
        let verify = try await PesaBinary.run(["verify", "--data", temp.path])
        _ = verify  // the server holds the folder; a torn tail it is cutting may show, so only the run matters
    }
}

final class Acknowledged: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []

    func add(_ id: String) {
        lock.lock()
        stored.append(id)
        lock.unlock()
    }

    var ids: [String] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
