import Foundation
import PesaTesting
import Testing

/// The dashboard in a real browser: headless Chromium, driven by Selenium (`Browser/dashboard_browser.py`),
/// against `pesa serve --demo` over loopback with its embedded sandbox. The data is prepared over the JSON API
/// (a second org_admin and a `user` in the demo organization, batches waiting for approval, another
/// organization with a payment of its own); the script then logs in through the form, sends an STK push and
/// sees it succeed, asks M-Pesa for its status, reverses part of it, checks a balance from the overview and opens
/// the payouts, previews a CSV with a bad row and confirms a good one, approves the batch as the other org_admin,
/// reads the reports' chart, pays the other organization's invoice from its billing page, is refused
/// as a `user` and given a 404 for the other organization's payment, and logs out, after which the old session
/// cookie opens nothing. An invoice can be paid once its month has ended: the server is started again on the same
/// data under libfaketime, 40 days ahead (without libfaketime that step is left out, and the output says so).
/// Every page visited is saved as a PNG at desktop and phone width to `.build/browser-screenshots/`. Skipped where
/// Chromium, chromedriver or Selenium is missing (`scripts/ensure-test-tools` installs them).
@Suite(.serialized) struct DashboardBrowserTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Browser/dashboard_browser.py").path
    static let screenshots = root.appendingPathComponent(".build/browser-screenshots").path

    /// Whether the script finds Selenium, Chromium and chromedriver.
    static let browserReady: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--check"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    /// libfaketime's library, when installed (Debian's `faketime`).
    static let fakeTime: String? = {
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib")) ?? []
        return folders.sorted().map { "/usr/lib/\($0)/faketime/libfaketime.so.1" }
            .first { FileManager.default.fileExists(atPath: $0) }
    }()

    /// What runs the server 40 days ahead under libfaketime (its monotonic clock, which timers use, left as is).
    /// `FAKETIME_SHARED` names no shared clock: without it libfaketime makes one and announces it by changing the
    /// environment as `pesa` starts, before Swift has read the arguments, and `pesa` starts without them.
    static var monthLater: [String: String] {
        guard let fakeTime else { return [:] }
        return [
            "LD_PRELOAD": fakeTime, "FAKETIME": "+40d", "FAKETIME_DONT_FAKE_MONOTONIC": "1",
            "FAKETIME_SHARED": "/pesa-no-semaphore /pesa-no-memory",
        ]
    }

    static let checker = (email: "checker@demo.co.ke", password: "checker-password-1")
    static let payer = (email: "boss@other.co.ke", password: "other-password-1")
    static let clerk = (email: "clerk@demo.co.ke", password: "clerk-password-1")

    @Test(.enabled(if: browserReady, "headless Chromium, chromedriver and Selenium (scripts/ensure-test-tools)"))
    func anOperatorUsesTheDashboardInABrowser() async throws {
        let temp = TemporaryDirectory("e2e-browser")
        defer { temp.remove() }
        let server = ServerProcess(dataDirectory: temp.path, environment: SessionEndToEndTests.environment)
        try await server.start(["--demo"])
        defer { server.stop() }
        let demo = DemoEndToEndTests()
        let printed = try await demo.banner(server)
        let password = String(try demo.first(#"password demo-[a-z0-9]+"#, in: printed).dropFirst("password ".count))
        let sessions = SessionEndToEndTests()
        let admin = try await sessions.login(server, "demo@pesa.local", password)
        let root = try await sessions.login(server, "root@example.com", "root-password-1")
        let (_, orgs) = try await server.request("GET", "/v1/orgs", token: root)
        let demoID = try #require(
            (orgs?["data"] as? [[String: Any]])?.first { $0["slug"] as? String == "demo" }?["id"] as? String)
        for (email, password, role) in [
            (Self.checker.email, Self.checker.password, "org_admin"), (Self.clerk.email, Self.clerk.password, "user"),
        ] {
            let user = ["email": email, "password": password, "role": role]
            #expect(try await server.request("POST", "/v1/orgs/\(demoID)/users", token: root, json: user).0 == 201)
        }
        // Every batch waits for a second org_admin.
        let (saved, _) = try await server.request(
            "PUT", "/v1/payout-batch-settings", token: admin, json: ["approval": "all", "low_balance": "warn"])
        #expect(saved == 200)
        let otherPayment = try await otherOrganizationsPayment(server, root: root)
        var environment = [
            "PESA_ADMIN": "demo@pesa.local \(password)",
            "PESA_CHECKER": "\(Self.checker.email) \(Self.checker.password)",
            "PESA_USER": "\(Self.clerk.email) \(Self.clerk.password)", "PESA_OTHER_PAYMENT": otherPayment,
            "PESA_SCREENSHOTS": Self.screenshots,
        ]

        // Started again on the same data, 40 days later when libfaketime is there: this month's invoices are
        // then final and open.
        server.stop()
        let later = ServerProcess(
            dataDirectory: temp.path, environment: SessionEndToEndTests.environment.merging(Self.monthLater) { $1 })
        try await later.start(["--demo"])
        defer { later.stop() }
        if Self.fakeTime != nil {
            try await openInvoice(later)
            environment["PESA_INVOICE_PAYER"] = "\(Self.payer.email) \(Self.payer.password)"
        } else {
            print("libfaketime is not installed (scripts/ensure-test-tools): no invoice is paid in the browser")
        }
        environment["PESA_BASE_URL"] = later.baseURL

        try? FileManager.default.removeItem(atPath: Self.screenshots)
        print("dashboard browser screenshots: \(Self.screenshots)")
        let started = Date()
        let run = try await PesaBinary.run(
            ["python3", Self.script], environment: environment, timeoutSeconds: 180, executable: "/usr/bin/env")
        let output = run.stdout + run.stderr
        #expect(run.status == 0, "the browser script failed:\n\(output)\nserver:\n\(later.printed)")
        print("dashboard browser test: \(String(format: "%.1f", Date().timeIntervalSince(started))) s; \(output)")
    }

    /// A payment of another organization (its own sandbox short code 174379), settled.
    func otherOrganizationsPayment(_ server: ServerProcess, root: String) async throws -> String {
        let (created, other) = try await server.request(
            "POST", "/v1/orgs", token: root, json: ["name": "Other Shop", "slug": "other-shop", "plan": "starter"])
        #expect(created == 201)
        let otherID = try #require(other?["id"] as? String)
        let boss = ["email": Self.payer.email, "password": Self.payer.password, "role": "org_admin"]
        #expect(try await server.request("POST", "/v1/orgs/\(otherID)/users", token: root, json: boss).0 == 201)
        let token = try await SessionEndToEndTests().login(server, Self.payer.email, Self.payer.password)
        let profile: [String: Any] = [
            "label": "Other paybill", "environment": "sandbox", "short_code": "174379", "kind": "paybill",
            "consumer_key": "other-key-0001", "consumer_secret": "other-key-0001-secret",
            "passkey": ShortCodeIsolationEndToEndTests.sandboxPasskey,
        ]
        let (made, answer) = try await server.request("POST", "/v1/short-codes", token: token, json: profile)
        #expect(made == 201, "\(String(describing: answer))")
        let (pushed, payment) = try await server.request(
            "POST", "/v1/payments/stk-push", token: token,
            json: ["phone": "254708374149", "amount": 10, "account_reference": "OTHER-1", "description": "Order"])
        #expect(pushed == 201, "\(String(describing: payment))")
        let id = try #require(payment?["id"] as? String)
        _ = try await PaymentEndToEndTests().waitForStatus(server, id, key: token)
        return id
    }

    /// The other organization's invoice of the month the server was started in, final and open (the billing
    /// run of a month that has ended finalizes its drafts).
    func openInvoice(_ server: ServerProcess) async throws {
        let sessions = SessionEndToEndTests()
        let root = try await sessions.login(server, "root@example.com", "root-password-1")
        let month = UsageEndToEndTests.currentMonth()
        let (ran, run) = try await server.request(
            "POST", "/v1/admin/billing/runs", token: root, json: ["month": month, "finalize": true])
        #expect(ran == 200, "\(String(describing: run))")
        #expect(run?["finalized"] as? Bool == true, "the server runs a month ahead: \(String(describing: run))")
        let payer = try await sessions.login(server, Self.payer.email, Self.payer.password)
        let (_, invoices) = try await server.request("GET", "/v1/invoices", token: payer)
        let open = (invoices?["data"] as? [[String: Any]])?.filter { $0["status"] as? String == "open" } ?? []
        #expect(open.count == 1, "\(String(describing: invoices))")
    }
}
