import Foundation
import PesaTesting
import Testing

/// The real server against `pesa sandbox` run as its own process, so Daraja's side (and its ledger) lives on
/// while the gateway is killed: rounds of concurrent STK pushes (to shared and distinct phones, over every
/// test number), payouts, reversals (full and partial, concurrent, retried with their keys) and C2B
/// confirmations, each round ended by a SIGKILL at a random moment. Once everything settled, the invariants
/// hold: each acknowledged payment exists once, with the amount and phone asked; no two payments share a
/// CheckoutRequestID or a receipt; reversals never give back more than was paid; and the sandbox's account
/// balances are the ones the gateway's records imply (to the cent when nothing waits for a person).
///
/// Seeded: the seed is printed, and `PESA_TEST_SEED` replays it; `PESA_MONEY_ROUNDS` runs a longer form.
@Suite(.serialized) struct MoneyInvariantsEndToEndTests {
    static let workingStartCents: Int64 = 50_000_000
    static let utilityStartCents: Int64 = 25_000_000

    @Test func randomizedLoadWithKillsKeepsEveryInvariantAndTheSandboxLedger() async throws {
        let seed = TestSeed.make("MoneyInvariantsEndToEndTests")
        let rounds = ProcessInfo.processInfo.environment["PESA_MONEY_ROUNDS"].flatMap(Int.init) ?? 3
        print("MoneyInvariantsEndToEndTests rounds \(rounds)")
        let world = try await MoneyWorld.start(seed: seed)
        defer { world.stop() }
        for round in 0..<rounds {
            try await world.round(killAfterMs: Int64(world.random(in: 300...1_500)))
            if round < rounds - 1 { try await world.restart() }
        }
        try await world.restart()
        try await world.retryUnanswered()
        try await world.confirmC2B(count: 3)
        try await world.settle()
        let failures = try await world.invariantFailures()
        #expect(failures.isEmpty, "seed \(seed): \(failures.joined(separator: "; "))")
    }
}

/// The gateway, the standalone sandbox and what the API acknowledged.
final class MoneyWorld: @unchecked Sendable {
    let sandbox: SandboxProcess
    let server: ServerProcess
    let temp: TemporaryDirectory
    let arguments: [String]
    let lock = NSLock()
    private var generator: SeededRandom
    private(set) var token = ""
    /// Acknowledged payments (201): id → (type, amount in shillings, phone asked).
    private(set) var acknowledged: [String: (type: String, amount: Int64, phone: String?)] = [:]
    /// Succeeded pushes' receipts and amounts, to reverse.
    private var reversible: [(receipt: String, amount: Int64)] = []
    /// Requests to a phone of their own whose answer was lost when the server was killed: retried with their
    /// keys after the restart, each must make exactly one payment.
    private(set) var unanswered: [(path: String, body: Data, key: String, type: String, amount: Int64, phone: String)] =
        []
    private var phoneCounter = 0

    init(sandbox: SandboxProcess, server: ServerProcess, temp: TemporaryDirectory, arguments: [String], seed: UInt64) {
        self.sandbox = sandbox
        self.server = server
        self.temp = temp
        self.arguments = arguments
        generator = SeededRandom(seed: seed)
    }

    static func start(seed: UInt64) async throws -> MoneyWorld {
        let temp = TemporaryDirectory("e2e-money")
        let sandbox = SandboxProcess()
        try await sandbox.start(["--callback-delay-ms", "150"])
        let certificate = temp.path + "/sandbox.pem"
        try Data(try await sandbox.certificate().utf8).write(to: URL(fileURLWithPath: certificate))
        let server = ServerProcess(dataDirectory: temp.path + "/data", environment: ["PESA_RECONCILE_AFTER_S": "1"])
        let arguments = ["--sandbox-upstream", sandbox.baseURL, "--sandbox-certificate", certificate]
        let world = MoneyWorld(sandbox: sandbox, server: server, temp: temp, arguments: arguments, seed: seed)
        try await server.start(arguments + ["--demo"])
        try await world.logIn()
        let (registered, _) = try await server.request("POST", "/v1/c2b/register-urls", token: world.token)
        guard registered == 200 || registered == 201 else { throw ServerError("C2B registration: \(registered)") }
        return world
    }

    func stop() {
        server.stop()
        sandbox.stop()
        temp.remove()
    }

    func random(in range: ClosedRange<Int>) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return Int.random(in: range, using: &generator)
    }

    private func record(_ id: String, type: String, amount: Int64, phone: String?) {
        lock.lock()
        acknowledged[id] = (type, amount, phone)
        lock.unlock()
    }

    /// The demo's org_admin login (its password is printed at start).
    func logIn() async throws {
        guard let found = try await server.printedMatch(#"password demo-[a-z0-9]+"#) else {
            throw ServerError("no demo password printed")
        }
        let password = String(found.dropFirst("password ".count))
        let (status, body) = try await server.request(
            "POST", "/v1/auth/login", json: ["email": "demo@pesa.local", "password": password])
        guard status == 200, let token = body?["access_token"] as? String else { throw ServerError("login: \(status)") }
        self.token = token
    }

    func restart() async throws {
        server.stop(kill: true)
        try await server.start(arguments)
    }

    /// Workers send random requests until the server is killed after `killAfterMs`.
    func round(killAfterMs: Int64) async throws {
        let server = self.server
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for step in 0..<60 {
                        guard await self.step(worker: worker, step: step) else { return }
                    }
                }
            }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(killAfterMs))
                server.stop(kill: true)
            }
        }
    }

    /// One random request; false once the server is gone.
    func step(worker: Int, step: Int) async -> Bool {
        let choice = random(in: 0...99)
        do {
            switch choice {
            case 0..<55: try await push()
            case 55..<75: try await payout()
            case 75..<90: try await reverse()
            default: try await retryKeyTwice()
            }
            return true
        } catch {
            return false
        }
    }

    static let testNumbers = [
        "254700001032", "254700000001", "254700001037", "254700001019", "254700000002", "254700000009",
        "254700000500",
    ]

    func phone() -> String {
        switch random(in: 0...9) {
        case 0...2: Self.testNumbers[random(in: 0...(Self.testNumbers.count - 1))]
        case 3: "254708000001"  // shared by every worker: Daraja locks the subscriber, the second push fails
        default: "2547080" + String(format: "%05d", random(in: 0...99_999))
        }
    }

    func post(_ path: String, _ json: [String: Any], key: String? = nil) async throws -> (Int, [String: Any]?) {
        try await send(path, body: try JSONSerialization.data(withJSONObject: json), key: key)
    }

    func send(_ path: String, body: Data, key: String?) async throws -> (Int, [String: Any]?) {
        var headers = ["Content-Type": "application/json"]
        if let key { headers["Idempotency-Key"] = key }
        let (status, data, _) = try await server.raw("POST", path, token: token, body: body, headers: headers)
        return (status, (try? JSONSerialization.jsonObject(with: data)) as? [String: Any])
    }

    /// A phone no other request uses.
    func ownPhone() -> String {
        lock.withLock {
            phoneCounter += 1
            return "2547084" + String(format: "%05d", phoneCounter)
        }
    }

    func push() async throws {
        let amount = Int64(random(in: 1...5_000))
        let phone = random(in: 0...3) == 0 ? ownPhone() : phone()
        try await create(
            "/v1/payments/stk-push", type: "stk_push", amount: amount, phone: phone,
            json: ["phone": phone, "amount": amount, "account_reference": "INV", "description": "Load"])
    }

    func payout() async throws {
        let amount = Int64(random(in: 10...2_000))
        let phone = random(in: 0...4) == 0 ? "254700002001" : ownPhone()
        try await create(
            "/v1/payouts", type: "b2c", amount: amount, phone: phone,
            json: ["phone": phone, "amount": amount, "command": "business_payment", "remarks": "Load"])
    }

    /// A creating request with a key of its own; recorded when acknowledged, kept for a retry when its answer
    /// was lost to a kill (for a phone no other request uses, so its payments can be counted).
    func create(_ path: String, type: String, amount: Int64, phone: String, json: [String: Any]) async throws {
        let key = "\(type)-\(random(in: 0...Int.max / 2))"
        let body = try JSONSerialization.data(withJSONObject: json)
        do {
            let (status, answer) = try await send(path, body: body, key: key)
            if status == 201, let id = answer?["id"] as? String { record(id, type: type, amount: amount, phone: phone) }
        } catch {
            if phone.hasPrefix("2547084") {
                lock.withLock { unanswered.append((path, body, key, type, amount, phone)) }
            }
            throw error
        }
    }

    /// Each request whose answer was lost, sent again twice with its key: one payment, the same both times,
    /// whether or not the first attempt was journaled before the kill.
    func retryUnanswered() async throws {
        for request in lock.withLock({ unanswered }) {
            let (first, answer) = try await send(request.path, body: request.body, key: request.key)
            let (second, again) = try await send(request.path, body: request.body, key: request.key)
            guard first == 201, second == 201, let id = answer?["id"] as? String, again?["id"] as? String == id else {
                throw ServerError(
                    "retry of \(request.key): \(first) \(second), ids \(answer?["id"] ?? "-") \(again?["id"] ?? "-")")
            }
            record(id, type: request.type, amount: request.amount, phone: request.phone)
        }
    }

    /// Reverses a succeeded push (all of it or part), twice at once with one key half of the time.
    func reverse() async throws {
        try await learnReceipts()
        let target = lock.withLock {
            reversible.isEmpty ? nil : reversible[Int.random(in: 0..<reversible.count, using: &generator)]
        }
        guard let target else { return try await push() }
        let amount = random(in: 0...1) == 0 ? target.amount : Int64(random(in: 1...Int(target.amount)))
        let body = try JSONSerialization.data(
            withJSONObject: ["mpesa_receipt": target.receipt, "amount": amount, "remarks": "Refund"])
        let key = "reversal-\(random(in: 0...Int.max / 2))"
        let twice = random(in: 0...1) == 0
        async let first = send("/v1/reversals", body: body, key: key)
        async let second = twice ? send("/v1/reversals", body: body, key: key) : (0, nil)
        let answers = [try await first, try await second]
        let ids = Set(answers.compactMap { $0.0 == 201 ? $0.1?["id"] as? String : nil })
        guard ids.count <= 1 else { throw ServerError("one Idempotency-Key made two reversals: \(ids)") }
        if let id = ids.first { record(id, type: "reversal", amount: amount, phone: nil) }
    }

    /// A push sent, then sent again with the same key and body: one payment, the second a replay.
    func retryKeyTwice() async throws {
        let amount = Int64(random(in: 1...900))
        let phone = "2547082" + String(format: "%05d", random(in: 0...99_999))
        let json: [String: Any] = ["phone": phone, "amount": amount, "account_reference": "RTY", "description": "Retry"]
        let key = "retry-\(random(in: 0...Int.max / 2))"
        let (status, body) = try await post("/v1/payments/stk-push", json, key: key)
        guard status == 201, let id = body?["id"] as? String else { return }
        record(id, type: "stk_push", amount: amount, phone: phone)
        let (again, replay) = try await post("/v1/payments/stk-push", json, key: key)
        if again == 201, replay?["id"] as? String != id { throw ServerError("retry made a second payment") }
    }

    /// Receipts of succeeded pushes, from the gateway's list.
    func learnReceipts() async throws {
        let (status, body) = try await server.request(
            "GET", "/v1/transactions?status=succeeded&type=stk_push&limit=100", token: token)
        guard status == 200 else { throw ServerError("list: \(status)") }
        let found = (body?["data"] as? [[String: Any]] ?? []).compactMap { payment -> (String, Int64)? in
            guard let receipt = payment["mpesa_receipt"] as? String else { return nil }
            return (receipt, Self.cents(payment["amount"]) / 100)
        }
        lock.withLock { reversible = found }
    }

    /// C2B payments made at the sandbox, confirmed to the gateway's registered URL.
    func confirmC2B(count: Int) async throws {
        let basic = Data("demo-consumer-key:demo-consumer-secret".utf8).base64EncodedString()
        let (status, data) = try await sandbox.request(
            "GET", "/oauth/v1/generate?grant_type=client_credentials", headers: ["Authorization": "Basic \(basic)"])
        guard status == 200, let oauth = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let access = oauth["access_token"] as? String
        else { throw ServerError("sandbox OAuth: \(status)") }
        for index in 0..<count {
            let body = try JSONSerialization.data(withJSONObject: [
                "ShortCode": "174379", "CommandID": "CustomerPayBillOnline", "Amount": String(random(in: 1...3_000)),
                "Msisdn": "2547083" + String(format: "%05d", index), "BillRefNumber": "C2B\(index)",
            ])
            let (simulated, _) = try await sandbox.request(
                "POST", "/mpesa/c2b/v1/simulate",
                headers: ["Authorization": "Bearer \(access)", "Content-Type": "application/json"], body: body)
            guard simulated == 200 else { throw ServerError("C2B simulate: \(simulated)") }
        }
        // The sandbox confirms after its callback delay.
        try await Task.sleep(for: .seconds(1))
    }

    /// Waits until nothing is pending that reconciliation can still settle (a push whose answer was lost waits
    /// ten minutes for its callback: it stays, and is counted as unresolved by the ledger check).
    func settle(timeoutSeconds: Double = 120) async throws {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while Date() < deadline {
            let all = try await payments()
            let waiting = all.filter { payment in
                let status = payment["status"] as? String
                let lostAnswer = payment["type"] as? String == "stk_push" && payment["checkout_request_id"] == nil
                return (status == "pending" && !lostAnswer) || payment["receipt_pending"] as? Bool == true
            }
            if waiting.isEmpty { return }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw ServerError("payments still pending after \(timeoutSeconds) s")
    }

    /// Every payment of the organization, through the API's pages.
    func payments() async throws -> [[String: Any]] {
        var all: [[String: Any]] = []
        var cursor: String?
        repeat {
            let path = "/v1/transactions?limit=500" + (cursor.map { "&cursor=\($0)" } ?? "")
            let (status, body) = try await server.request("GET", path, token: token)
            guard status == 200 else { throw ServerError("list: \(status)") }
            all += body?["data"] as? [[String: Any]] ?? []
            cursor = body?["next_cursor"] as? String
        } while cursor != nil
        return all
    }

    /// The sandbox's balances in cents, read through the gateway's balance check (Daraja's AccountBalance).
    func sandboxBalances() async throws -> [String: Int64] {
        let (sent, check) = try await server.request("POST", "/v1/balance-checks", token: token)
        guard (200...202).contains(sent), let id = check?["id"] as? String else {
            throw ServerError("balance: \(sent)")
        }
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let (_, query) = try await server.request("GET", "/v1/balance-checks/\(id)", token: token)
            if let result = query?["result"] as? [String: String], let text = result["AccountBalance"] {
                var balances: [String: Int64] = [:]
                for account in text.split(separator: "&") {
                    let fields = account.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                    guard fields.count == 6, let cents = Self.cents(fields[2]) else { continue }
                    balances[fields[0]] = cents
                }
                return balances
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ServerError("no balance result")
    }

    static func cents(_ text: String) -> Int64? {
        let parts = text.split(separator: ".")
        guard parts.count == 2, let whole = Int64(parts[0].filter { $0 != "-" }), let fraction = Int64(parts[1]) else {
            return nil
        }
        return (text.hasPrefix("-") ? -1 : 1) * (whole * 100 + fraction)
    }

    static func cents(_ amount: Any?) -> Int64 {
        guard let number = amount as? NSNumber else { return 0 }
        return Int64((number.doubleValue * 100).rounded())
    }
}
