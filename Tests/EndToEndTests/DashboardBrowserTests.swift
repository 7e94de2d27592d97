import Foundation
import PesaTesting
import Testing

/// The dashboard in a real browser: headless Chromium, driven by Selenium (`Browser/dashboard_browser.py`),
/// against `pesa serve --demo` over loopback with its embedded sandbox. The data is prepared over the JSON API
/// (a second org_admin and a `user` in the demo organization, batches waiting for approval, another
/// organization with a payment of its own); the script then logs in through the form, sends an STK push and
/// sees it succeed, previews a CSV with a bad row and confirms a good one, approves the batch as the other
/// org_admin, reads the reports' chart, is refused as a `user` and given a 404 for the other organization's
/// payment, and logs out, after which the old session cookie opens nothing. Every page visited is saved as a
/// PNG at desktop and phone width to `.build/browser-screenshots/`. Skipped where Chromium, chromedriver or
/// Selenium is missing (`scripts/ensure-test-tools` installs them).
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

    static let checker = (email: "checker@demo.co.ke", password: "checker-password-1")
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

        try? FileManager.default.removeItem(atPath: Self.screenshots)
        print("dashboard browser screenshots: \(Self.screenshots)")
        let environment = [
            "PESA_BASE_URL": server.baseURL, "PESA_ADMIN": "demo@pesa.local \(password)",
            "PESA_CHECKER": "\(Self.checker.email) \(Self.checker.password)",
            "PESA_USER": "\(Self.clerk.email) \(Self.clerk.password)", "PESA_OTHER_PAYMENT": otherPayment,
            "PESA_SCREENSHOTS": Self.screenshots,
        ]
        let started = Date()
        let run = try await PesaBinary.run(
            ["python3", Self.script], environment: environment, timeoutSeconds: 180, executable: "/usr/bin/env")
        let output = run.stdout + run.stderr
        #expect(run.status == 0, "the browser script failed:\n\(output)\nserver:\n\(server.printed)")
        print("dashboard browser test: \(String(format: "%.1f", Date().timeIntervalSince(started))) s; \(output)")
    }

    /// A payment of another organization (its own sandbox short code 174379), settled.
    func otherOrganizationsPayment(_ server: ServerProcess, root: String) async throws -> String {
        let (created, other) = try await server.request(
            "POST", "/v1/orgs", token: root, json: ["name": "Other Shop", "slug": "other-shop"])
        #expect(created == 201)
        let otherID = try #require(other?["id"] as? String)
        let boss = ["email": "boss@other.co.ke", "password": "other-password-1", "role": "org_admin"]
        #expect(try await server.request("POST", "/v1/orgs/\(otherID)/users", token: root, json: boss).0 == 201)
        let token = try await SessionEndToEndTests().login(server, "boss@other.co.ke", "other-password-1")
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
}
