import Foundation
import PesaTesting
import Testing

/// A payout batch through the real server, against `pesa sandbox` as its own process (its ledger outlives the
/// gateway): the server is killed (SIGKILL) while rows are going out, started again, and the batch finishes
/// with no row paid twice — the sandbox's Utility account moved by exactly what succeeded.
@Suite(.serialized) struct BatchEndToEndTests {
    static let rowCount = 40

    @Test func aBatchInterruptedBySIGKILLPaysEveryRowExactlyOnce() async throws {
        let temp = TemporaryDirectory("e2e-batch-kill")
        let sandbox = SandboxProcess()
        try await sandbox.start(["--callback-delay-ms", "100"])
        let certificate = temp.path + "/sandbox.pem"
        try Data(try await sandbox.certificate().utf8).write(to: URL(fileURLWithPath: certificate))
        let server = ServerProcess(
            dataDirectory: temp.path + "/data",
            environment: ["PESA_RECONCILE_AFTER_S": "1", "PESA_BATCH_ROWS_PER_S": "2"])
        let arguments = ["--sandbox-upstream", sandbox.baseURL, "--sandbox-certificate", certificate]
        let world = MoneyWorld(sandbox: sandbox, server: server, temp: temp, arguments: arguments, seed: 1)
        defer { world.stop() }
        try await server.start(arguments + ["--demo"])
        try await world.logIn()
        let utilityBefore = try #require(try await world.sandboxBalances()["Utility Account"])

        let items: [[String: Any]] = (0..<Self.rowCount).map { row in
            ["phone": "2547110000\(10 + row)", "amount": 100 + row, "reference": "SAL-\(row)", "name": "Staff \(row)"]
        }
        let total = Int64((0..<Self.rowCount).reduce(0) { $0 + 100 + $1 })
        let (created, batch) = try await server.request(
            "POST", "/v1/payout-batches", token: world.token,
            json: ["command": "salary_payment", "items": items])
        #expect(created == 201, "\(String(describing: batch))")
        let id = try #require(batch?["id"] as? String)
        #expect(id.hasPrefix("bat_demo_"))

        // Killed while rows are going out (2 a second, so a loaded machine still catches it mid-send): some sent,
        // some not.
        let deadline = Date().addingTimeInterval(30)
        var queuedAtKill = Self.rowCount
        while Date() < deadline {
            let (_, now) = try await server.request("GET", "/v1/payout-batches/\(id)", token: world.token)
            queuedAtKill = (now?["counts"] as? [String: Int])?["queued"] ?? Self.rowCount
            if queuedAtKill < Self.rowCount - 4 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        server.stop(kill: true)
        #expect(queuedAtKill > 0 && queuedAtKill < Self.rowCount, "killed mid-send: \(queuedAtKill) rows queued")
        try await server.start(arguments)

        var final: [String: Any]?
        let end = Date().addingTimeInterval(120)
        while Date() < end {
            let (_, now) = try await server.request("GET", "/v1/payout-batches/\(id)", token: world.token)
            if let status = now?["status"] as? String, status.hasPrefix("completed") {
                final = now
                break
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        let finished = try #require(final, "the batch did not finish after the restart")
        let counts = finished["counts"] as? [String: Int] ?? [:]
        #expect(counts.values.reduce(0, +) == Self.rowCount)
        #expect((counts["queued"] ?? 0) + (counts["sending"] ?? 0) + (counts["sent"] ?? 0) == 0)

        // Never paid twice: at most one succeeded payout per row, and the sandbox paid exactly what succeeded.
        let payouts = try await world.payments().filter { $0["batch_id"] as? String == id }
        let succeeded = payouts.filter { $0["status"] as? String == "succeeded" }
        let phones = succeeded.compactMap { $0["phone"] as? String }
        #expect(Set(phones).count == phones.count, "a row paid twice")
        try await world.settle()
        let utilityAfter = try #require(try await world.sandboxBalances()["Utility Account"])
        let paid = succeeded.reduce(Int64(0)) { $0 + MoneyWorld.cents($1["amount"]) }
        #expect(utilityBefore - utilityAfter == paid)
        // Every row paid: a row whose request the kill cut before it reached Daraja went out again under its own
        // id once a status query found no trace of it.
        #expect(finished["status"] as? String == "completed")
        #expect(succeeded.count == Self.rowCount)
        #expect(utilityBefore - utilityAfter == total * 100)
    }
}

/// Batches as an operator meets them through the server: a CSV names every bad row at once, the same upload
/// again is the first batch, the creator cannot approve their own batch, another organization sees nothing.
@Suite(.serialized) struct BatchUploadEndToEndTests {
    func error(_ body: [String: Any]?) -> [String: Any]? { body?["error"] as? [String: Any] }

    @Test func csvUploadsApprovalAndIsolation() async throws {
        let temp = TemporaryDirectory("e2e-batch-upload")
        defer { temp.remove() }
        let server = ServerProcess(dataDirectory: temp.path, environment: SessionEndToEndTests.environment)
        try await server.start(["--demo"])
        defer { server.stop() }
        let world = MoneyWorld(
            sandbox: SandboxProcess(), server: server, temp: temp, arguments: [], seed: 2)
        try await world.logIn()
        let boss = world.token
        let sessions = SessionEndToEndTests()
        let root = try await sessions.login(server, "root@example.com", "root-password-1")
        let (_, orgs) = try await server.request("GET", "/v1/orgs", token: root)
        let demoID = try #require(
            (orgs?["data"] as? [[String: Any]])?.first { $0["slug"] as? String == "demo" }?["id"] as? String)

        // A CSV with two bad rows: both named, nothing created.
        let bad = Data("\u{FEFF}phone;amount;reference\n0708374149;100;SAL-1\n07x;50;SAL-2\n0708374150;-3;SAL-3\n".utf8)
        let (refused, refusedBody, _) = try await server.raw(
            "POST", "/v1/payout-batches?command=salary_payment", token: boss, body: bad,
            headers: ["content-type": "text/csv"])
        #expect(refused == 422)
        let listed = (try? JSONSerialization.jsonObject(with: refusedBody)) as? [String: Any]
        let problems = (error(listed)?["errors"] as? [[String: Any]])?.compactMap { $0["param"] as? String }
        #expect(problems == ["items[1].phone", "items[2].amount"])
        #expect((try await server.request("GET", "/v1/payout-batches", token: boss).1?["data"] as? [Any])?.isEmpty
            == true)

        // Every batch waits for approval; the creator may not approve it, another org_admin may.
        let (saved, _) = try await server.request(
            "PUT", "/v1/payout-batch-settings", token: boss, json: ["approval": "all", "low_balance": "warn"])
        #expect(saved == 200)
        let good = Data("phone,amount,reference\n0708374149,100,SAL-1\n0708374150,200,SAL-2\n".utf8)
        let (made, madeBody, _) = try await server.raw(
            "POST", "/v1/payout-batches?command=salary_payment", token: boss, body: good,
            headers: ["content-type": "text/csv"])
        #expect(made == 201)
        let batch = (try? JSONSerialization.jsonObject(with: madeBody)) as? [String: Any]
        let id = try #require(batch?["id"] as? String)
        #expect(batch?["status"] as? String == "awaiting_approval")
        let (again, againBody, _) = try await server.raw(
            "POST", "/v1/payout-batches?command=salary_payment", token: boss, body: good,
            headers: ["content-type": "text/csv"])
        #expect((200...201).contains(again))
        #expect(((try? JSONSerialization.jsonObject(with: againBody)) as? [String: Any])?["id"] as? String == id)
        let (own, ownBody) = try await server.request("POST", "/v1/payout-batches/\(id)/approve", token: boss)
        #expect(own == 403)
        #expect((error(ownBody)?["message"] as? String)?.contains("creator") == true)
        let checker = ["email": "checker@demo.co.ke", "password": "checker-password-1", "role": "org_admin"]
        #expect(try await server.request("POST", "/v1/orgs/\(demoID)/users", token: root, json: checker).0 == 201)
        let second = try await sessions.login(server, "checker@demo.co.ke", "checker-password-1")
        let (approved, approvedBody) = try await server.request(
            "POST", "/v1/payout-batches/\(id)/approve", token: second)
        #expect(approved == 200)
        #expect(approvedBody?["status"] as? String != "awaiting_approval")

        // Another organization: 404 for the batch, its rows and its results.
        let (_, other) = try await server.request(
            "POST", "/v1/orgs", token: root, json: ["name": "Other", "slug": "other-shop"])
        let otherID = try #require(other?["id"] as? String)
        let outsider = ["email": "boss@other.co.ke", "password": "other-password-1", "role": "org_admin"]
        #expect(try await server.request("POST", "/v1/orgs/\(otherID)/users", token: root, json: outsider).0 == 201)
        let stranger = try await sessions.login(server, "boss@other.co.ke", "other-password-1")
        for path in ["", "/items", "/results.csv"] {
            #expect(try await server.raw("GET", "/v1/payout-batches/\(id)\(path)", token: stranger).0 == 404, "\(path)")
        }
        #expect(try await server.request("POST", "/v1/payout-batches/\(id)/cancel", token: stranger).0 == 404)
        let (results, csv, headers) = try await server.raw("GET", "/v1/payout-batches/\(id)/results.csv", token: boss)
        #expect(results == 200)
        #expect(headers["content-type"]?.hasPrefix("text/csv") == true)
        #expect(String(decoding: csv, as: UTF8.self).split(separator: "\n").count == 3)
    }
}
