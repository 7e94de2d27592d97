import Foundation
import HTTPTypes
import HummingbirdTesting
import PesaAPI
import PesaCore
import PesaEngine
import PesaTesting
import Testing

/// What the dashboard asks M-Pesa, through the real router and engine against the embedded sandbox: a
/// transaction's status, a balance check, the sandbox's C2B simulate; and the callbacks that matched nothing.
@Suite struct DashboardQueriesTests {
    @Test func theStatusOfAPaymentIsAskedOnceAndItsAnswerShows() async throws {
        try await PayoutWorld.run { world, client in
            let paid = try await world.paidPush(amount: 40)
            let receipt = try #require(paid.mpesaReceipt)
            var manager = try await PayoutWorld.browser(PayoutWorld.manager, client: client)
            let page = try await manager.get("/ui/payments/\(paid.id.rawValue)", client: client)
            #expect(page.html.contains("<input type=\"hidden\" name=\"payment_id\" value=\"\(paid.id.rawValue)\">"))
            #expect(page.html.contains("<button type=\"submit\">Ask M-Pesa for the status</button>"))
            let token = try #require(Browser.csrfToken(in: page.html))
            let fields = [("csrf_token", token), ("idempotency_key", "status-1"), ("payment_id", paid.id.rawValue)]
            let first = try await manager.post("/ui/payments/status", form: fields, client: client)
            #expect(first.status == .seeOther, "\(first.html)")
            let second = try await manager.post("/ui/payments/status", form: fields, client: client)
            let location = try #require(first.headers[.location])
            #expect(second.headers[.location] == location)
            #expect(location.hasPrefix("/ui/payments/status/"))
            let queries = try await world.gateway.engine(world.acme).read { state in
                state.queries.values.filter { $0.kind == .transactionStatus }
            }
            #expect(queries.count == 1)
            let answered = try await Self.answer(
                location, title: "Transaction status", result: .statusResult, browser: &manager, world: world,
                client: client)
            #expect(answered.html.contains("<dt>M-Pesa receipt</dt><dd>\(receipt)</dd>"))
            #expect(!answered.html.contains("http-equiv=\"refresh\""))
            #expect(answered.html.contains("href=\"/ui/payments/\(paid.id.rawValue)\""))
            // By receipt, from the payment list's form.
            let list = try await manager.get("/ui/payments", client: client)
            #expect(list.html.contains("<form method=\"post\" action=\"/ui/payments/status\""))
            let byReceipt = try await manager.post(
                "/ui/payments/status", form: [("csrf_token", token), ("mpesa_receipt", receipt)], client: client)
            #expect(byReceipt.status == .seeOther)
        }
    }

    @Test func aStatusQueryRefusedShowsWhyAndWrongCallersAreRefused() async throws {
        try await PayoutWorld.run { world, client in
            var manager = try await PayoutWorld.browser(PayoutWorld.manager, client: client)
            let form = try await manager.get("/ui/payments/status", client: client)
            #expect(form.status == .ok)
            #expect(form.html.contains("<h1>Ask M-Pesa for a transaction's status</h1>"))
            let token = try #require(Browser.csrfToken(in: form.html))
            let bad = try await manager.post(
                "/ui/payments/status", form: [("csrf_token", token), ("mpesa_receipt", "not a receipt!")],
                client: client)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.html.contains("id=\"mpesa_receipt-error\""))
            #expect(bad.html.contains("value=\"not a receipt!\""))
            let forged = try await manager.post(
                "/ui/payments/status", form: [("mpesa_receipt", "SBX0000001")], client: client)
            #expect(forged.status == .forbidden)
            var user = try await PayoutWorld.browser(PayoutWorld.user, client: client)
            let userPage = try await user.get("/ui/payments", client: client)
            #expect(!userPage.html.contains("action=\"/ui/payments/status\""))
            let userToken = try #require(Browser.csrfToken(in: userPage.html))
            let refused = try await user.post(
                "/ui/payments/status", form: [("csrf_token", userToken), ("mpesa_receipt", "SBX0000001")],
                client: client)
            #expect(refused.status == .forbidden)
            let globex = try await world.gateway.stkPush(
                STKPushParameters(phone: "0708374149", amount: 10, accountReference: "G-1", description: "Globex"),
                in: world.globex, idempotency: nil, by: PayoutWorld.root)
            let foreign = try await manager.post(
                "/ui/payments/status", form: [("csrf_token", token), ("payment_id", globex.payment.id.rawValue)],
                client: client)
            #expect(foreign.status == .notFound)
            let queries = try await world.gateway.engine(world.acme).read { $0.queries.count }
            #expect(queries == 0)
        }
    }

    @Test func aBalanceCheckFromTheOverviewAnswersAndTheOverviewShowsTheBalance() async throws {
        try await PayoutWorld.run { world, client in
            var admin = try await PayoutWorld.browser(PayoutWorld.admin, client: client)
            let overview = try await admin.get("/ui/", client: client)
            #expect(overview.html.contains("<td>174379</td><td>No balance known yet</td>"))
            #expect(overview.html.contains("<button type=\"submit\">Check balance now</button>"))
            let token = try #require(Browser.csrfToken(in: overview.html))
            let fields = [("csrf_token", token), ("idempotency_key", "balance-1"), ("short_code", "174379")]
            let first = try await admin.post("/ui/balance-checks", form: fields, client: client)
            #expect(first.status == .seeOther, "\(first.html)")
            let second = try await admin.post("/ui/balance-checks", form: fields, client: client)
            let location = try #require(first.headers[.location])
            #expect(second.headers[.location] == location)
            #expect(try await world.gateway.engine(world.acme).read { $0.queries.count } == 1)
            let answered = try await Self.answer(
                location, title: "Balance check", result: .balanceResult, browser: &admin, world: world,
                client: client)
            // The sandbox's AccountBalance text, read into a table of amounts.
            #expect(answered.html.contains("<h2>Accounts</h2>"))
            #expect(answered.html.contains("<tr><td>Working Account</td><td class=\"n\">KES "))
            let after = try await admin.get("/ui/", client: client)
            #expect(after.html.contains("<td>174379</td><td>Working Account</td>"))
            #expect(!after.html.contains("No balance known yet"))
            // A user sees no balance and may not ask for one; a form without its token is refused.
            var user = try await PayoutWorld.browser(PayoutWorld.user, client: client)
            let userOverview = try await user.get("/ui/", client: client)
            #expect(!userOverview.html.contains("Check balance now"))
            let userToken = try #require(Browser.csrfToken(in: userOverview.html))
            let refused = try await user.post(
                "/ui/balance-checks", form: [("csrf_token", userToken), ("short_code", "174379")], client: client)
            #expect(refused.status == .forbidden)
            let forged = try await admin.post("/ui/balance-checks", form: [("short_code", "174379")], client: client)
            #expect(forged.status == .forbidden)
            #expect(try await world.gateway.engine(world.acme).read { $0.queries.count } == 1)
            let unknown = try await admin.get("/ui/balance-checks/qry_00000000000000000000000000000000", client: client)
            #expect(unknown.status == .notFound)
        }
    }

    @Test func simulateMakesTheSandboxPayOnceAndProductionIsRefusedAsTheAPIRefusesIt() async throws {
        try await PayoutWorld.run { world, client in
            var manager = try await PayoutWorld.browser(PayoutWorld.manager, client: client)
            let list = try await manager.get("/ui/payments", client: client)
            #expect(list.html.contains("<a href=\"/ui/payments/simulate\">"))
            let form = try await manager.get("/ui/payments/simulate", client: client)
            #expect(form.status == .ok)
            #expect(form.html.contains("<title>Simulate a customer payment"))
            #expect(form.html.components(separatedBy: "<h1").count == 2)
            let token = try #require(Browser.csrfToken(in: form.html))
            var fields = [
                ("csrf_token", token), ("idempotency_key", "simulate-1"), ("phone", "0708374149"), ("amount", "75"),
                ("account_reference", "INV-7"),
            ]
            let first = try await manager.post("/ui/payments/simulate", form: fields, client: client)
            #expect(first.status == .seeOther, "\(first.html)")
            #expect(first.headers[.location] == "/ui/payments/simulate?done=sent")
            let second = try await manager.post("/ui/payments/simulate", form: fields, client: client)
            #expect(second.headers[.location] == "/ui/payments/simulate?done=sent")
            let sent = try await manager.get("/ui/payments/simulate?done=sent", client: client)
            #expect(sent.html.contains("Sent: the payment appears in the list once M-Pesa confirms it."))
            try await world.deliverCallbacks(.c2bConfirmation)
            let c2b = try await world.gateway.engine(world.acme).read { state in
                state.payments.list(PaymentFilter()).payments.filter { $0.type == .c2b }
            }
            #expect(c2b.count == 1)
            let confirmations = await world.services.recorder.waitForDeliveries(
                to: try await world.callbackPath(.c2bConfirmation), count: 2, timeoutMs: 500)
            #expect(confirmations.count == 1)
            #expect(c2b.first?.amount == Amount(shillings: 75))
            #expect(c2b.first?.accountReference == "INV-7")
            fields[1] = ("idempotency_key", "simulate-2")
            fields[3] = ("amount", "lots")
            let bad = try await manager.post("/ui/payments/simulate", form: fields, client: client)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.html.contains("id=\"amount-error\""))
            #expect(bad.html.contains("value=\"lots\""))
            var user = try await PayoutWorld.browser(PayoutWorld.user, client: client)
            #expect(try await user.get("/ui/payments/simulate", client: client).status == .forbidden)
            // Production credentials: no form, and a post is refused with the API's SANDBOX_ONLY message.
            var production = ReversalAmountTests.sandboxCredentials()
            production.environment = "production"
            _ = try await world.gateway.putCredentials(production, in: world.acme, by: PayoutWorld.root)
            let hidden = try await manager.get("/ui/payments/simulate", client: client)
            #expect(hidden.html.contains("C2B simulate exists only in Daraja's sandbox: this organization has no"))
            #expect(!hidden.html.contains("action=\"/ui/payments/simulate\""))
            #expect(!(try await manager.get("/ui/payments", client: client)).html.contains("/ui/payments/simulate"))
            fields[1] = ("idempotency_key", "simulate-3")
            fields[3] = ("amount", "75")
            let refused = try await manager.post("/ui/payments/simulate", form: fields, client: client)
            #expect(refused.status == .conflict)
            #expect(refused.html.contains("C2B simulate exists only in Daraja&#39;s sandbox; short code 174379"))
        }
    }

    @Test func unmatchedCallbacksArePagedWithTheirBodiesAsTextAndLinkedFromTheOverview() async throws {
        let world = try await DashboardWorld.make()
        let engine = try await world.gateway.engine(world.acme)
        let events: [TenantEvent] =
            (1...3).map { index in
                let body = #"{"Body":{"n":"\#(index) <b>x</b>"}}"#
                return .callbackReceived(.init(kind: .stk, body: body, disposition: .orphan, paymentID: nil))
            } + [.callbackReceived(.init(kind: .b2cResult, body: "not json", disposition: .malformed))]
        try await engine.execute { (_, _) throws(EngineError) in Decision(events: events, value: ()) }
        try await world.test { client in
            var admin = Browser()
            _ = try await admin.logIn(email: DashboardWorld.admin, client: client)
            let overview = try await admin.get("/ui/", client: client)
            #expect(overview.html.contains("4 callbacks from M-Pesa in the last 7 days matched no payment"))
            #expect(overview.html.contains("<a href=\"/ui/payments/unmatched\">See the unmatched callbacks</a>"))
            let list = try await admin.get("/ui/payments", client: client)
            #expect(list.html.contains("<a href=\"/ui/payments/unmatched\">Unmatched callbacks</a>"))
            let first = try await admin.get("/ui/payments/unmatched?limit=2&disposition=orphan", client: client)
            #expect(first.status == .ok)
            #expect(first.html.contains("<title>Unmatched callbacks"))
            #expect(first.html.components(separatedBy: "<h1").count == 2)
            #expect(
                first.html.contains("<pre>{&quot;Body&quot;:{&quot;n&quot;:&quot;1 &lt;b&gt;x&lt;/b&gt;&quot;}}</pre>"))
            #expect(first.html.contains("&quot;2 &lt;b&gt;"))
            #expect(!first.html.contains("&quot;3 &lt;b&gt;"))
            #expect(!first.html.contains("<b>x</b>"))
            let next = try #require(DashboardPaymentsTests.link(in: first.html, rel: "next"))
            let second = try await admin.get(next, client: client)
            #expect(second.html.contains("&quot;3 &lt;b&gt;"))
            #expect(!second.html.contains("&quot;1 &lt;b&gt;"))
            #expect(DashboardPaymentsTests.link(in: second.html, rel: "next") == nil)
            #expect(!second.html.contains("not json"))
            #expect(second.html.contains("<option value=\"orphan\" selected>"))
            let malformed = try await admin.get("/ui/payments/unmatched?disposition=malformed", client: client)
            #expect(malformed.html.contains("<pre>not json</pre>"))
            #expect(!malformed.html.contains("&quot;1 &lt;b&gt;"))
            let both = try await admin.get("/ui/payments/unmatched?disposition=", client: client)
            #expect(both.html.contains("<pre>not json</pre>") && both.html.contains("&quot;1 &lt;b&gt;"))
            let bad = try await admin.get("/ui/payments/unmatched?disposition=%3Cx%3E", client: client)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.html.contains("disposition must be orphan or malformed"))
            var user = Browser()
            _ = try await user.logIn(email: DashboardWorld.user, client: client)
            #expect(try await user.get("/ui/payments/unmatched", client: client).status == .forbidden)
        }
    }

    /// The overview flags a callback that matched no payment only while it is among the last 7 days (Kenya
    /// time, today included), counting those days alone and naming the latest.
    @Test func onlyUnmatchedCallbacksOfTheLastSevenDaysAreFlaggedOnTheOverview() async throws {
        let dayMs: Int64 = 86_400_000
        let clock = DashboardOperatorInvoiceTests.SetClock(SystemWallClock().nowMs() - 8 * dayMs)
        let world = try await DashboardWorld.make(engineClock: clock)
        let engine = try await world.gateway.engine(world.acme)
        let journal = { @Sendable (disposition: TenantEvent.CallbackDisposition) async throws in
            let event = TenantEvent.callbackReceived(.init(kind: .stk, body: "{}", disposition: disposition))
            try await engine.execute { (_, _) throws(EngineError) in Decision(events: [event], value: ()) }
        }
        try await journal(.orphan)
        try await journal(.malformed)
        clock.set(world.clock.nowMs)  // the overview's time is the engine's
        try await world.test { client in
            var admin = Browser()
            _ = try await admin.logIn(email: DashboardWorld.admin, client: client)
            let old = try await admin.get("/ui/", client: client)
            #expect(old.status == .ok)
            #expect(old.html.contains("Needs attention"))
            #expect(!old.html.contains("from M-Pesa in the last 7 days"))
            #expect(!old.html.contains("See the unmatched callbacks"))
        }
        try await journal(.orphan)
        let latest = try #require(try await engine.read { state in state.unmatchedCallbacks.latestAtMs })
        try await world.test { client in
            var admin = Browser()
            _ = try await admin.logIn(email: DashboardWorld.admin, client: client)
            let recent = try await admin.get("/ui/", client: client)
            #expect(
                recent.html.contains(
                    "1 callback from M-Pesa in the last 7 days matched no payment of this organization or could not "
                        + "be read, the latest on \(DashboardFormat.kenyaTime(ms: latest)) EAT"))
            #expect(recent.html.contains("<a href=\"/ui/payments/unmatched\">See the unmatched callbacks</a>"))
            var user = Browser()
            _ = try await user.logIn(email: DashboardWorld.user, client: client)
            #expect(!(try await user.get("/ui/", client: client)).html.contains("See the unmatched callbacks"))
        }
    }

    /// The query page at `location`: pending and reloading itself until the sandbox's `result` callback is
    /// handed to the gateway, then completed with what M-Pesa answered (that page returned).
    static func answer(
        _ location: String, title: String, result: CallbackKind, browser: inout Browser, world: PayoutWorld,
        client: any TestClientProtocol
    ) async throws -> TestResponse {
        let pending = try await browser.get(location, client: client)
        #expect(pending.status == .ok)
        #expect(pending.html.contains("<title>\(title) qry_"))
        #expect(pending.html.components(separatedBy: "<h1").count == 2)
        #expect(pending.html.contains("<dt>Status</dt><dd>pending</dd>"))
        #expect(pending.html.contains("<meta http-equiv=\"refresh\" content=\"5\">"))
        try await world.deliverCallbacks(result)
        let answered = try await browser.get(location, client: client)
        #expect(answered.html.contains("<dt>Status</dt><dd>completed</dd>"))
        #expect(answered.html.contains("<h2>What M-Pesa answered</h2>"))
        return answered
    }
}
