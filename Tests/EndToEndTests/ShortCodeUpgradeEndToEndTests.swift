import Foundation
import PesaStore
import PesaTesting
import Testing

/// A data folder written before short-code profiles (`fixtures/upgrade/pre-profiles`, a state format 6
/// snapshot, a format 1 vault and journal lines after the snapshot), served by the real binary from a copy:
/// the organization's one credential set reads as its default paybill and B2C profiles (ids derived from their
/// numbers), every payment keeps its status, amount and receipt and names its short code, the keys came
/// through (a push and a payout work), and the folder still verifies after the first vault change, a
/// compaction and a restart.
@Suite(.serialized) struct ShortCodeUpgradeEndToEndTests {
    let payments = PaymentEndToEndTests()
    let payouts = PayoutEndToEndTests()

    static let fixture = Fixtures.rootDirectory.appendingPathComponent("upgrade/pre-profiles")
    static let keyFile = fixture.appendingPathComponent("master.key").path
    static let organizationID = "org_725779z0xvymtwjmpeea2mrn0x"
    /// `ShortCodeID.legacy(paybill, 174379)` and `ShortCodeID.legacy(b2c, 600000)`, as data-layout.md derives them.
    static let paybillID = "sc_00040000000000000000005a9b"
    static let b2cID = "sc_000c000000000000000000j9y0"

    /// What a run added: payment id -> short code.
    typealias Added = [String: String]

    func expectedFacts() throws -> [String: Any] {
        let data = try Fixtures.data("upgrade/pre-profiles/expected.json")
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// A copy of the fixture's data folder (a server writes the folder it opens).
    func copyFixture(into temp: TemporaryDirectory) throws -> String {
        let data = temp.path + "/data"
        try FileManager.default.copyItem(atPath: Self.fixture.appendingPathComponent("data").path, toPath: data)
        return data
    }

    var vaultPath: String { "tenants/\(Self.organizationID)/credentials.enc" }

    /// The vault's plaintext, opened with the fixture's master key.
    func vaultText(_ data: String) throws -> String {
        let io = PosixFileIO()
        let key = try MasterKey.read(Self.keyFile, io: io)
        let sealed = try io.readFile(at: data + "/" + vaultPath)
        let plain = try CredentialVault(masterKey: key).open(sealed, tenantID: Self.organizationID)
        return String(decoding: plain, as: UTF8.self)
    }

    func run(_ arguments: [String], _ data: String) async throws -> PesaBinary.Output {
        try await PesaBinary.run(arguments + ["--data", data, "--master-key-file", Self.keyFile])
    }

    func login(_ server: ServerProcess, _ account: [String: Any]?) async throws -> String {
        let (status, body) = try await server.request(
            "POST", "/v1/auth/login", json: ["email": account?["email"] ?? "", "password": account?["password"] ?? ""])
        #expect(status == 200, "login as \(account?["email"] ?? "")")
        return try #require(body?["access_token"] as? String)
    }

    func text(_ body: [String: Any]?) throws -> String {
        guard let body else { return "" }
        return String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
    }

    func amount(_ value: Any?) -> Double? { (value as? NSNumber)?.doubleValue }

    @Test func aFolderWrittenBeforeProfilesIsServedVerifiedCompactedAndServedAgain() async throws {
        let expected = try expectedFacts()
        let temp = TemporaryDirectory("e2e-upgrade")
        defer { temp.remove() }
        let data = try copyFixture(into: temp)
        let fixtureVault = try Fixtures.data("upgrade/pre-profiles/data/" + vaultPath)
        #expect(try vaultText(data).contains(#""credentials":"#))  // format 1, as the previous binary wrote it

        // First start: the key is given with --master-key-file; no --demo (the folder's organization is served
        // as it is).
        let server = ServerProcess(dataDirectory: data)
        try await server.start(["--master-key-file", Self.keyFile])
        var added = Added()
        do {
            defer { server.stop() }
            #expect(!FileManager.default.fileExists(atPath: data + "/master.key"), "a new master key was made")
            try await checkFacts(server, expected, added: added)
            // Reading and paying change no vault: the file is still the one the previous binary wrote.
            try await newPaymentsWork(server, expected, added: &added)
            #expect(FileManager.default.contents(atPath: data + "/" + vaultPath) == fixtureVault)
            try await firstVaultChange(server, expected, data: data, added: &added)
        }

        // Offline: the folder verifies (vault entries included), compacts into a snapshot of today's state
        // format, and verifies again.
        let verified = try await run(["verify"], data)
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stdout.contains(Self.organizationID))
        let compacted = try await run(["compact", "--grace-seconds", "0"], data)
        #expect(compacted.status == 0, "\(compacted.stdout)\(compacted.stderr)")
        #expect(compacted.stdout.contains("\(Self.organizationID): snapshot at seq"), "\(compacted.stdout)")
        let again = try await run(["verify"], data)
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")

        // Second start, the key given by PESA_MASTER_KEY_FILE: the same facts from the new snapshot, the format 2
        // vault and the new events; the keys still work.
        let second = ServerProcess(dataDirectory: data, environment: ["PESA_MASTER_KEY_FILE": Self.keyFile])
        try await second.start()
        do {
            defer { second.stop() }
            try await checkFacts(second, expected, added: added)
            try await newPaymentsWork(second, expected, added: &added)
            try await checkFacts(second, expected, added: added)
        }
        #expect(try vaultText(data).hasPrefix(#"{"format":3,"#))
        let last = try await run(["verify"], data)
        #expect(last.status == 0, "\(last.stdout)\(last.stderr)")
        #expect(!FileManager.default.fileExists(atPath: data + "/master.key"))
    }

    /// Everything expected.json lists, as profiles show it, plus what the runs so far added.
    func checkFacts(_ server: ServerProcess, _ expected: [String: Any], added: Added) async throws {
        let admin = try await login(server, expected["admin"] as? [String: Any])
        let root = try await login(server, expected["super_admin"] as? [String: Any])
        let key = try #require((expected["api_key"] as? [String: Any])?["secret"] as? String)
        let organization = try #require(expected["organization"] as? [String: Any])
        let (_, orgs) = try await server.request("GET", "/v1/orgs", token: root)
        let listed = try #require((orgs?["data"] as? [[String: Any]])?.first)
        #expect(listed["id"] as? String == Self.organizationID)
        #expect(listed["slug"] as? String == organization["slug"] as? String)

        // The one credential set, as before: same non-secret fields, secrets masked.
        let credentials = try #require(expected["credentials"] as? [String: Any])
        let before = try #require(credentials["get_after"] as? [String: Any])
        let (credentialsStatus, shown) = try await server.request("GET", "/v1/mpesa-credentials", token: admin)
        #expect(credentialsStatus == 200, "\(String(describing: shown))")
        for field in [
            "business_short_code", "b2c_short_code", "environment", "transaction_type", "initiator_name",
            "consumer_key", "consumer_secret", "passkey", "initiator_password",
        ] {
            #expect(shown?[field] as? String == before[field] as? String, "GET /v1/mpesa-credentials \(field)")
        }
        #expect(((shown?["version"] as? NSNumber)?.intValue ?? 0) >= 2)

        // ... read as two default profiles with ids derived from their numbers, no secret in clear.
        let (listedStatus, list) = try await server.request("GET", "/v1/short-codes", token: key)
        #expect(listedStatus == 200)
        let profiles = try #require(list?["data"] as? [[String: Any]])
        #expect(profiles.count == 2, "\(profiles)")
        let paybill = try #require(profiles.first { $0["id"] as? String == Self.paybillID }, "\(profiles)")
        let b2c = try #require(profiles.first { $0["id"] as? String == Self.b2cID }, "\(profiles)")
        for (profile, kind, number) in [(paybill, "paybill", "174379"), (b2c, "b2c", "600000")] {
            #expect(profile["kind"] as? String == kind)
            #expect(profile["short_code"] as? String == number)
            #expect(profile["default"] as? Bool == true)
            #expect(profile["environment"] as? String == "sandbox")
            #expect(profile["deleted_at"] is NSNull)
            #expect(profile["consumer_key"] as? String == "****-key")
            #expect(profile["initiator_name"] as? String == "testapi")
        }
        #expect(paybill["passkey"] as? String == "****c919")
        #expect(b2c["passkey"] is NSNull)
        let secrets = ((credentials["secrets_put"] as? [String: Any]) ?? [:]).values.compactMap { $0 as? String }
        for answer in [shown, list] {
            let shownText = try text(answer)
            for secret in secrets { #expect(!shownText.contains(secret), "a secret shown in clear") }
        }

        // Every payment as it was, now naming its short code; and what the runs added.
        let recorded = try #require(expected["payments"] as? [[String: Any]])
        for payment in recorded {
            let id = try #require(payment["id"] as? String)
            let (status, body) = try await server.request("GET", "/v1/payments/\(id)", token: key)
            #expect(status == 200, "\(id)")
            let type = payment["type"] as? String
            #expect(body?["type"] as? String == type, "\(id)")
            #expect(body?["status"] as? String == payment["status"] as? String, "\(id)")
            #expect(amount(body?["amount"]) == amount(payment["amount"]), "\(id)")
            if let receipt = payment["mpesa_receipt"] as? String {
                #expect(body?["mpesa_receipt"] as? String == receipt, "\(id)")
            } else {
                #expect(body?["mpesa_receipt"] == nil || body?["mpesa_receipt"] is NSNull, "\(id)")
            }
            let number = type == "b2c" ? "600000" : "174379"
            #expect(body?["short_code"] as? String == number, "\(id)")
            #expect(body?["short_code_id"] as? String == (type == "b2c" ? Self.b2cID : Self.paybillID), "\(id)")
        }
        for (id, number) in added {
            let (_, body) = try await server.request("GET", "/v1/payments/\(id)", token: key)
            #expect(body?["status"] as? String == "succeeded", "\(id)")
            #expect(body?["short_code"] as? String == number, "\(id)")
        }
        let (_, all) = try await server.request("GET", "/v1/transactions?limit=100", token: key)
        let ids = Set(((all?["data"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String })
        #expect(ids == Set(recorded.compactMap { $0["id"] as? String } + added.keys))
        let (_, paidOut) = try await server.request("GET", "/v1/transactions?short_code=600000&limit=100", token: key)
        let b2cPayments = (paidOut?["data"] as? [[String: Any]]) ?? []
        #expect(b2cPayments.count == recorded.filter { $0["type"] as? String == "b2c" }.count
            + added.values.filter { $0 == "600000" }.count)
        #expect(b2cPayments.allSatisfy { $0["type"] as? String == "b2c" })

        // The balance check went from the B2C short code, and so did the balances it left.
        let check = try #require(expected["balance_check"] as? [String: Any])
        let checkID = try #require(check["id"] as? String)
        let (_, query) = try await server.request("GET", "/v1/balance-checks/\(checkID)", token: key)
        #expect(query?["status"] as? String == "completed")
        #expect(query?["short_code"] as? String == "600000")
        let (_, balance) = try await server.request("GET", "/v1/balance?short_code=\(Self.b2cID)", token: key)
        let accounts = (balance?["data"] as? [[String: Any]]) ?? []
        let names = Set(accounts.compactMap { $0["account"] as? String })
        #expect(names == Set(((check["accounts"] as? [String: Any]) ?? [:]).keys), "\(accounts)")
        #expect(accounts.allSatisfy { $0["short_code"] as? String == "600000" })
    }

    /// A push from the paybill and a payout from the B2C short code, with the keys the vault conversion gave.
    func newPaymentsWork(_ server: ServerProcess, _ expected: [String: Any], added: inout Added) async throws {
        let key = try #require((expected["api_key"] as? [String: Any])?["secret"] as? String)
        let phone = "2547083\(Int.random(in: 10_000...99_999))"
        let (pushed, push) = try await server.request(
            "POST", "/v1/payments/stk-push", token: key,
            json: ["phone": phone, "amount": 15, "account_reference": "INV-8", "description": "Upgrade"])
        #expect(pushed == 201, "\(String(describing: push))")
        #expect(push?["short_code"] as? String == "174379")
        #expect(push?["short_code_id"] as? String == Self.paybillID)
        let (paid, payout) = try await server.request(
            "POST", "/v1/payouts", token: key,
            json: ["phone": "0722000111", "amount": 30, "command": "business_payment", "remarks": "Upgrade"])
        #expect(paid == 201, "\(String(describing: payout))")
        #expect(payout?["short_code"] as? String == "600000")
        #expect(payout?["short_code_id"] as? String == Self.b2cID)
        for (answer, number) in [(push, "174379"), (payout, "600000")] {
            let id = try #require(answer?["id"] as? String)
            let settled = try await payments.waitForStatus(server, id, key: key)
            #expect(settled["status"] as? String == "succeeded", "\(number): \(settled)")
            #expect(settled["short_code"] as? String == number)
            added[id] = number
        }
    }

    /// The first change of a secret rewrites the vault in format 2: the B2C profile's initiator saved again
    /// (same values, a new version), the paybill's converted entry kept; both still work.
    func firstVaultChange(_ server: ServerProcess, _ expected: [String: Any], data: String, added: inout Added)
        async throws
    {
        let admin = try await login(server, expected["admin"] as? [String: Any])
        let secrets = try #require((expected["credentials"] as? [String: Any])?["secrets_put"] as? [String: Any])
        let (status, patched) = try await server.request(
            "PATCH", "/v1/short-codes/\(Self.b2cID)", token: admin,
            json: ["initiator_name": "testapi", "initiator_password": secrets["initiator_password"] ?? ""])
        #expect(status == 200, "\(String(describing: patched))")
        #expect(patched?["version"] as? Int == 3)
        #expect(patched?["initiator_password"] as? String == "********")
        let vault = try vaultText(data)
        #expect(vault.hasPrefix(#"{"format":3,"#), "\(vault.prefix(20))")
        #expect(vault.contains(Self.paybillID) && vault.contains(Self.b2cID))
        try await newPaymentsWork(server, expected, added: &added)
        try await checkFacts(server, expected, added: added)
    }
}
