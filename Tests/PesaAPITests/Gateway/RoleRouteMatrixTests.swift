import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PesaAPI
import PesaCore
import PesaEngine
import PesaStore
import PesaTesting
import Prometheus
import Testing

/// Every route of the server-core issue, called by every role (and without credentials), on the caller's
/// own organization and on another one, through the real router and engine: the answer is 401 without a
/// token, 404 for another organization's objects, 403 where the written permission matrix says no, and
/// success where it says yes. Every read route that names an object (an organization, a payment, a query) is
/// called with an object of the caller's organization and with one of another organization.
@Suite struct RoleRouteMatrixTests {
    struct Route: Sendable {
        let method: HTTPRequest.Method
        /// `{org}` and `{user}` are replaced by the target organization and one of its users; `{payment}`,
        /// `{balance_check}` and `{status_query}` by an object of the target organization.
        let path: String
        let action: Action
        let orgInPath: Bool
        /// The path names an object of the target organization while the organization itself comes from the
        /// caller (or `?org=` for a super_admin): another organization's object answers 404.
        var objectInPath = false
        /// The route calls Daraja once allowed: with no upstream in this test an allowed call answers 503.
        var callsDaraja = false
        /// What an allowed call answers when not a success (paying a draft invoice is a 409).
        var allowedStatus: UInt? = nil
        let body: @Sendable (Int) -> String?
    }

    static let routes: [Route] = [
        Route(method: .post, path: "/v1/orgs", action: .createOrganization, orgInPath: false) { n in
            #"{"name":"New \#(n)","slug":"new-\#(n)","plan":"free"}"#
        },
        Route(method: .get, path: "/v1/orgs", action: .listOrganizations, orgInPath: false) { _ in nil },
        Route(method: .get, path: "/v1/orgs/{org}", action: .readOrganization, orgInPath: true) { _ in nil },
        Route(method: .patch, path: "/v1/orgs/{org}", action: .updateOrganization, orgInPath: true) { _ in
            #"{"name":"Renamed"}"#
        },
        Route(
            method: .post, path: "/v1/orgs/{org}/callback-token/rotate", action: .rotateCallbackToken, orgInPath: true
        ) {
            _ in #"{"previous_valid_hours":0,"force":true}"#
        },
        Route(method: .post, path: "/v1/orgs/{org}/users", action: .createUser, orgInPath: true) { n in
            #"{"email":"m\#(n)@example.com","password":"long-enough-pw","role":"user"}"#
        },
        Route(method: .get, path: "/v1/orgs/{org}/users", action: .listUsers, orgInPath: true) { _ in nil },
        Route(method: .patch, path: "/v1/orgs/{org}/users/{user}", action: .updateUser, orgInPath: true) { _ in
            #"{"disabled":false}"#
        },
        Route(method: .delete, path: "/v1/orgs/{org}/users/{user}", action: .deleteUser, orgInPath: true) { _ in nil },
        Route(method: .post, path: "/v1/api-keys", action: .createAPIKey, orgInPath: false) { n in #"{"name":"k\#(n)"}"#
        },
        Route(method: .get, path: "/v1/api-keys", action: .listAPIKeys, orgInPath: false) { _ in nil },
        Route(method: .put, path: "/v1/mpesa-credentials", action: .updateCredentials, orgInPath: false) { _ in
            #"{"environment":"sandbox","consumer_key":"ck-1234567","consumer_secret":"cs-1234567","#
                + #""business_short_code":"174379","passkey":"pk-1234567890","initiator_name":"testapi","#
                + #""initiator_password":"pw-1234567"}"#
        },
        Route(method: .get, path: "/v1/mpesa-credentials", action: .readCredentials, orgInPath: false) { _ in nil },
        Route(method: .get, path: "/v1/audit-log", action: .readAuditLog, orgInPath: false) { _ in nil },
        Route(method: .get, path: "/v1/audit-log/verify", action: .verifyAuditLog, orgInPath: false) { _ in nil },
        Route(method: .get, path: "/v1/transactions", action: .listTransactions, orgInPath: false) { _ in nil },
        Route(method: .get, path: "/v1/balance", action: .readBalance, orgInPath: false) { _ in nil },
        Route(method: .get, path: "/v1/payout-batches", action: .readPayoutBatch, orgInPath: false) { _ in nil },
        Route(method: .get, path: "/v1/webhook-endpoints", action: .listWebhookEndpoints, orgInPath: false) { _ in
            nil
        },
        Route(method: .get, path: "/v1/events", action: .listEvents, orgInPath: false) { _ in nil },
        Route(method: .get, path: "/v1/webhook-deliveries", action: .listWebhookDeliveries, orgInPath: false) { _ in
            nil
        },
        Route(method: .get, path: "/v1/payout-batch-settings", action: .readPayoutBatch, orgInPath: false) { _ in nil },
        Route(method: .put, path: "/v1/payout-batch-settings", action: .updatePayoutBatchSettings, orgInPath: false) {
            _ in #"{"approval":"none","low_balance":"warn"}"#
        },
        Route(method: .get, path: "/v1/callbacks/unmatched", action: .listUnmatchedCallbacks, orgInPath: false) { _ in
            nil
        },
        Route(method: .get, path: "/v1/payments/{payment}", action: .readPayment, orgInPath: false, objectInPath: true)
        {
            _ in nil
        },
        Route(method: .get, path: "/v1/balance-checks/{balance_check}", action: .readBalance, orgInPath: false,
              objectInPath: true) { _ in nil },
        Route(method: .get, path: "/v1/transaction-status/{status_query}", action: .createTransactionStatusQuery,
              orgInPath: false, objectInPath: true) { _ in nil },
        Route(method: .get, path: "/v1/c2b/validation", action: .registerC2BURLs, orgInPath: false) { _ in nil },
        Route(method: .post, path: "/v1/payouts", action: .createPayout, orgInPath: false, callsDaraja: true) { _ in
            #"{"phone":"0708374149","amount":100,"command":"business_payment","remarks":"Salary"}"#
        },
        Route(method: .post, path: "/v1/balance-checks", action: .createBalanceCheck, orgInPath: false,
              callsDaraja: true) { _ in nil },
        Route(method: .post, path: "/v1/transaction-status", action: .createTransactionStatusQuery, orgInPath: false,
              callsDaraja: true) { _ in #"{"mpesa_receipt":"SKR1ABCDEF"}"# },
        Route(method: .post, path: "/v1/c2b/register-urls", action: .registerC2BURLs, orgInPath: false,
              callsDaraja: true) { _ in nil },
        Route(method: .post, path: "/v1/c2b/simulate", action: .simulateC2B, orgInPath: false, callsDaraja: true) { _ in
            #"{"amount":10,"phone":"0708374149","account_reference":"INV-1"}"#
        },
        Route(method: .post, path: "/v1/short-codes", action: .createShortCode, orgInPath: false) { n in
            #"{"environment":"sandbox","short_code":"\#(700_000 + n)","kind":"b2c","consumer_key":"ck-1234567","#
                + #""consumer_secret":"cs-1234567","initiator_name":"api","initiator_password":"pw-1234567"}"#
        },
        Route(method: .get, path: "/v1/short-codes", action: .listShortCodes, orgInPath: false) { _ in nil },
        Route(method: .get, path: "/v1/short-codes/{short_code}", action: .readShortCode, orgInPath: false,
              objectInPath: true) { _ in nil },
        Route(method: .patch, path: "/v1/short-codes/{short_code}", action: .updateShortCode, orgInPath: false,
              objectInPath: true) { n in #"{"label":"Till \#(n)"}"# },
        Route(method: .get, path: "/v1/usage", action: .readUsage, orgInPath: false) { _ in nil },
        Route(method: .get, path: "/v1/usage/daily", action: .readUsage, orgInPath: false) { _ in nil },
        Route(method: .get, path: "/v1/admin/usage", action: .readAllUsage, orgInPath: false) { _ in nil },
        Route(method: .get, path: "/v1/reports/summary", action: .readReportSummary, orgInPath: false) { _ in nil },
        Route(method: .get, path: "/v1/reports/transactions.csv", action: .exportTransactionsCSV, orgInPath: false) {
            _ in nil
        },
        Route(method: .get, path: "/v1/subscription", action: .readSubscription, orgInPath: false) { _ in nil },
        Route(method: .get, path: "/v1/admin/plans", action: .listPlans, orgInPath: false) { _ in nil },
        Route(method: .post, path: "/v1/admin/plans", action: .managePlans, orgInPath: false) { n in
            #"{"name":"plan-\#(n)","monthly_fee_cents":100000,"included_api_calls":10,"rate_limit_per_minute":60}"#
        },
        Route(method: .patch, path: "/v1/admin/plans/starter", action: .managePlans, orgInPath: false) { _ in
            #"{"trial_days":14}"#
        },
        Route(method: .post, path: "/v1/short-codes/{short_code}/verify", action: .verifyShortCode, orgInPath: false,
              objectInPath: true, callsDaraja: true) { _ in nil },
        Route(method: .get, path: "/v1/invoices", action: .listInvoices, orgInPath: false) { _ in nil },
        Route(method: .get, path: "/v1/invoices/{invoice}", action: .readInvoice, orgInPath: false,
              objectInPath: true) { _ in nil },
        Route(method: .get, path: "/v1/invoices/{invoice}.html", action: .readInvoice, orgInPath: false,
              objectInPath: true) { _ in nil },
        Route(method: .post, path: "/v1/invoices/{invoice}/pay", action: .payInvoice, orgInPath: false,
              objectInPath: true, allowedStatus: 409) { _ in #"{"phone":"0708374149"}"# },
        Route(method: .patch, path: "/v1/subscription", action: .updateSubscription, orgInPath: false) { _ in
            #"{"cancel_at_period_end":false}"#
        },
        Route(method: .post, path: "/v1/admin/billing/runs", action: .manageBilling, orgInPath: false) { _ in
            #"{"month":"\#(KenyaTime.monthKey(ms: Int64(Date().timeIntervalSince1970 * 1000)))"}"#
        },
        Route(method: .get, path: "/v1/admin/invoices", action: .manageBilling, orgInPath: false) { _ in nil },
        Route(method: .get, path: "/v1/admin/billing/settings", action: .manageBilling, orgInPath: false) { _ in nil },
        Route(method: .patch, path: "/v1/admin/billing/settings", action: .manageBilling, orgInPath: false) { _ in
            #"{"operator_name":"Pesa Operator Ltd","operator_kra_pin":"P051234567X"}"#
        },
        Route(method: .post, path: "/v1/admin/invoices/{invoice}/mark-paid", action: .manageBilling, orgInPath: false,
              allowedStatus: 409) { _ in #"{"reference":"BANK-1"}"# },
        Route(method: .post, path: "/v1/admin/invoices/{invoice}/void", action: .manageBilling, orgInPath: false,
              allowedStatus: 409) { _ in #"{"reason":"wrong plan"}"# },
    ]

    @Test func everyRoleOnEveryRouteOnItsOwnAndAnotherOrganization() async throws {
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let gateway = try await Gateway.start(
            data: DataDirectory(root: "/data", io: SimulatedFileIO(seed: 77)), masterKey: .generate(), logger: logger)
        let api = await GatewayAPI.make(gateway: gateway, metricsRegistry: PrometheusCollectorRegistry(), bcryptCost: 4)
        let root = Actor(
            principal: try Principal(role: .superAdmin, organizationID: nil), id: "usr_root", requestID: "req_t")
        let acme = try await gateway.createOrganization(name: "Acme", slug: "acme", plan: "business", by: root).record
            .id
        let globex = try await gateway.createOrganization(name: "Globex", slug: "globex", plan: "free", by: root).record
            .id
        var credentials = MpesaCredentialsInput()
        credentials.environment = "sandbox"
        credentials.consumerKey = "ck"
        credentials.consumerSecret = "cs"
        credentials.businessShortCode = "174379"
        credentials.passkey = "pk"
        credentials.initiatorName = "i"
        credentials.initiatorPassword = "p"
        var objects: [OrganizationID: [String: String]] = [:]
        for organization in [acme, globex] {
            _ = try await gateway.putCredentials(credentials, in: organization, by: root)
            objects[organization] = try await Self.makeObjects(in: organization, gateway: gateway)
        }
        var tokens: [(Role?, String?)] = [(nil, nil)]
        for role in Role.allCases {
            let organization = role == .superAdmin ? nil : acme
            let user = role == .superAdmin
                ? try await gateway.createSuperAdmin(email: "root@x.co", passwordHash: "h").id
                : try await gateway.createUser(
                    in: acme, email: "\(role.rawValue)@acme.co", passwordHash: "h", role: role, by: root
                ).id
            let token = try await api.accessTokens.issue(
                user: user, principal: try Principal(role: role, organizationID: organization))
            tokens.append((role, token.token))
        }
        let app = Application(router: api.buildRouter(), logger: logger)
        let callers = tokens
        let objectIDs = objects
        let checked = try await app.test(.router) { client in
            var counter = 0
            var checked = 0
            for route in Self.routes {
                for target in route.orgInPath || route.objectInPath ? [acme, globex] : [acme] {
                    for (role, token) in callers {
                        counter += 1
                        let victim = try await gateway.createUser(
                            in: target, email: "v\(counter)@x.co", passwordHash: "h", role: .user, by: root)
                        var path = route.path.replacingOccurrences(of: "{org}", with: target.rawValue)
                            .replacingOccurrences(of: "{user}", with: victim.id.rawValue)
                        for (placeholder, id) in objectIDs[target] ?? [:] {
                            path = path.replacingOccurrences(of: placeholder, with: id)
                        }
                        if role == .superAdmin && !route.orgInPath && route.path != "/v1/orgs" {
                            path += "?org=\(acme.rawValue)"
                        }
                        var headers = HTTPFields()
                        if let token { headers[.authorization] = "Bearer \(token)" }
                        let body = route.body(counter)
                        if body != nil { headers[.contentType] = "application/json" }
                        let response = try await client.execute(
                            uri: path, method: route.method, headers: headers,
                            body: body.map { ByteBuffer(string: $0) })
                        let expected = Self.expected(role: role, route: route, target: target, home: acme)
                        let status = response.status.code
                        let ok = switch expected {
                        case 200 where route.callsDaraja: status == 503
                        case 200 where route.allowedStatus != nil: status == route.allowedStatus ?? 0
                        case 200: (200..<300).contains(status)
                        default: status == expected
                        }
                        #expect(
                            ok,
                            "\(role?.rawValue ?? "anonymous") \(route.method) \(path): \(status), expected \(expected)")
                        checked += 1
                    }
                }
            }
            return checked
        }
        #expect(checked == 370)
        await gateway.close()
    }

    /// A payment, a balance check and a transaction-status query of `organization`, journaled directly (no
    /// Daraja in this test), by their path placeholders.
    static func makeObjects(in organization: OrganizationID, gateway: Gateway) async throws -> [String: String] {
        let payment = PaymentID(randomBytes: CommandContext.randomBytes(16))
        let balance = QueryID(randomBytes: CommandContext.randomBytes(16))
        let status = QueryID(randomBytes: CommandContext.randomBytes(16))
        let invoice = InvoiceID(randomBytes: CommandContext.randomBytes(16))
        let events: [TenantEvent] = [
            .invoiceSaved(Invoice(
                id: invoice, month: "2026-11", periodStartMs: 0, periodEndMs: 1, plan: "business", planVersion: 1,
                lines: [], vatBasisPoints: 1_600, vatInclusive: false, throughSeq: 1, createdAtMs: 1)),
            .stkPushRequested(.init(
                paymentID: payment, amount: Amount(shillings: 10), phone: try MSISDN("0708374149"),
                accountReference: "INV-1", description: "Order 1")),
            .querySent(.init(
                queryID: balance, kind: .balance, reason: .api, conversationID: "AG_\(balance.rawValue)",
                originatorConversationID: "o-\(balance.rawValue)")),
            .querySent(.init(
                queryID: status, kind: .transactionStatus, reason: .api, conversationID: "AG_\(status.rawValue)",
                originatorConversationID: "o-\(status.rawValue)", paymentID: payment)),
        ]
        let engine = try await gateway.engine(organization)
        try await engine.execute { (_, _) throws(EngineError) in Decision(events: events, value: ()) }
        let profile = try await engine.read { state in state.activeShortCodes[0].id }
        return [
            "{payment}": payment.rawValue, "{balance_check}": balance.rawValue, "{status_query}": status.rawValue,
            "{short_code}": profile.rawValue, "{invoice}": invoice.rawValue,
        ]
    }

    /// The oracle: PesaCore's written matrix and the scoping rule (callers other than super_admin belong to
    /// acme; a route without an organization in its path is about the caller's own, where an object of another
    /// organization is not found).
    static func expected(role: Role?, route: Route, target: OrganizationID, home: OrganizationID) -> UInt {
        guard let role, let principal = try? Principal(role: role, organizationID: role == .superAdmin ? nil : home)
        else { return 401 }
        let object: OrganizationID? =
            route.orgInPath ? target : (route.action == .createOrganization ? nil : principal.organizationID ?? home)
        switch principal.authorize(route.action, in: object) {
        case .allowed: return route.objectInPath && target != home ? 404 : 200
        case .forbidden: return 403
        case .notFound: return 404
        }
    }
}
