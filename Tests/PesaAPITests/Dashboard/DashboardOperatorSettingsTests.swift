import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PesaAPI
import PesaCore
import PesaEngine
import Testing

/// The operator's billing settings page (every setting of `PATCH /v1/admin/billing/settings`, audited in the
/// instance's log) and the organization page's name and status forms (`PATCH /v1/orgs/{id}`).
@Suite struct DashboardOperatorSettingsTests {
    static let page = "/ui/admin/billing/settings"

    /// Every setting, as the form sends it.
    static func settingsFields(organization: OrganizationID, prefix: String = "ACME") -> [(String, String)] {
        [
            ("due_days", "21"), ("grace_days", "5"), ("draft_days", "2"), ("vat_basis_points", "800"),
            ("vat_inclusive", "true"), ("invoice_prefix", prefix), ("operator_name", "Pesa Operators <Ltd>"),
            ("operator_address", "1 Moi Avenue\nNairobi"), ("operator_kra_pin", "P051234567X"),
            ("operator_organization_id", organization.rawValue), ("operator_short_code", ""),
        ]
    }

    @Test func everyBillingSettingIsShownAndSavedOnceAndAudited() async throws {
        let world = try await DashboardWorld.make()
        try await world.makeOperator()
        let root = try DashboardWorld.root()
        try await world.test { client in
            var browser = try await Browser.signedIn(DashboardWorld.operatorEmail, client: client)
            let runs = try await browser.get("/ui/admin/billing", client: client)
            #expect(runs.html.contains("<a href=\"\(Self.page)\">Billing settings</a>"))
            let form = try await browser.get(Self.page, client: client)
            #expect(form.status == .ok)
            #expect(form.html.contains("<h1>Billing settings</h1>"))
            #expect(form.html.components(separatedBy: "<title>").count == 2)
            for (name, value) in [
                ("due_days", "14"), ("grace_days", "7"), ("draft_days", "3"), ("vat_basis_points", "1600"),
                ("invoice_prefix", "PESA"), ("operator_name", "Pesa Gateway"), ("operator_kra_pin", ""),
                ("operator_organization_id", ""), ("operator_short_code", ""),
            ] {
                #expect(form.html.contains("name=\"\(name)\" type=\"text\""), "\(name)")
                #expect(form.html.contains("value=\"\(value)\""), "\(name)")
            }
            #expect(form.html.contains("name=\"operator_address\""))
            #expect(form.html.contains("name=\"vat_inclusive\" value=\"true\""))

            let fields =
                [
                    ("csrf_token", Browser.csrfToken(in: form.html) ?? ""),
                    ("idempotency_key", Browser.hidden("idempotency_key", in: form.html) ?? ""),
                ] + Self.settingsFields(organization: world.acme)
            let saved = try await browser.post(Self.page, form: fields, client: client)
            #expect(saved.status == .seeOther)
            #expect(saved.headers[.location] == Self.page + "?done=saved")
            let settings = try await world.gateway.billingSettings(by: root)
            #expect(settings.dueDays == 21)
            #expect(settings.graceDays == 5)
            #expect(settings.draftDays == 2)
            #expect(settings.vatBasisPoints == 800)
            #expect(settings.vatInclusive)
            #expect(settings.invoicePrefix == "ACME")
            #expect(settings.operatorName == "Pesa Operators <Ltd>")
            #expect(settings.operatorAddress == "1 Moi Avenue\nNairobi")
            #expect(settings.operatorTaxPIN == "P051234567X")
            #expect(settings.operatorOrganizationID == world.acme)
            #expect(settings.operatorShortCode == nil)
            // The same form again saves nothing more: one audit entry.
            let again = try await browser.post(Self.page, form: fields, client: client)
            #expect(again.status == .seeOther)
            let audit = try await world.gateway.systemAuditLog(
                after: 0, limit: 100, filter: AuditFilter(action: "billing.settings.update"), by: root)
            #expect(audit.entries.count == 1)
            #expect(audit.entries.first?.target == "billing")
            let shown = try await browser.get(Self.page + "?done=saved", client: client)
            #expect(shown.html.contains("The billing settings were saved."))
            #expect(shown.html.contains("value=\"Pesa Operators &lt;Ltd&gt;\""))
            #expect(shown.html.contains(">1 Moi Avenue\nNairobi</textarea>"))
            #expect(shown.html.contains(" checked>"))

            // Unchecked and blank: VAT added again, the operator organization cleared (the API's null).
            var cleared = Self.settingsFields(organization: world.acme).filter { $0.0 != "vat_inclusive" }
            cleared = cleared.map { $0.0 == "operator_organization_id" ? ($0.0, "") : $0 }
            #expect(try await browser.submit(Self.page, fields: cleared, client: client).status == .seeOther)
            let after = try await world.gateway.billingSettings(by: root)
            #expect(!after.vatInclusive)
            #expect(after.operatorOrganizationID == nil)
        }
    }

    @Test func aBadSettingIsRefusedNextToItsFieldAsTyped() async throws {
        let world = try await DashboardWorld.make()
        try await world.makeOperator()
        let root = try DashboardWorld.root()
        try await world.test { client in
            var browser = try await Browser.signedIn(DashboardWorld.operatorEmail, client: client)
            var fields = Self.settingsFields(organization: world.acme, prefix: "pesa-1")
            fields = fields.map { $0.0 == "grace_days" ? ($0.0, "a week") : $0 }
            let words = try await browser.submit(Self.page, fields: fields, client: client)
            #expect(words.status == .unprocessableContent)
            #expect(words.html.contains("id=\"grace_days-error\""))
            #expect(words.html.contains("value=\"a week\""))
            #expect(words.html.contains("value=\"pesa-1\""))

            // The use case's own checks: the field the API names.
            let prefix = try await browser.submit(
                Self.page, fields: Self.settingsFields(organization: world.acme, prefix: "pesa-1"), client: client)
            #expect(prefix.status == .unprocessableContent)
            #expect(prefix.html.contains("id=\"invoice_prefix-error\""))
            #expect(prefix.html.contains("invoice_prefix must be 1 to 12 capital letters or digits"))
            #expect(prefix.html.contains("value=\"pesa-1\""))
            let globex = try await world.globex()
            var unknown = Self.settingsFields(organization: globex)
            unknown = unknown.map { $0.0 == "operator_organization_id" ? ($0.0, "org_nothing") : $0 }
            let notAnID = try await browser.submit(Self.page, fields: unknown, client: client)
            #expect(notAnID.status == .unprocessableContent)
            #expect(notAnID.html.contains("id=\"operator_organization_id-error\""))
            #expect(notAnID.html.contains("value=\"org_nothing\""))
            #expect(try await world.gateway.billingSettings(by: root) == BillingSettings())
        }
    }

    @Test func theBillingSettingsAreTheSuperAdminsOnlyAndNeedTheCSRFToken() async throws {
        let world = try await DashboardWorld.make()
        try await world.makeOperator()
        let root = try DashboardWorld.root()
        let fields = Self.settingsFields(organization: world.acme)
        try await world.test { client in
            var admin = try await Browser.signedIn(DashboardWorld.admin, client: client)
            let page = try await admin.get(Self.page, client: client)
            #expect(page.status == .forbidden)
            #expect(page.html.contains("<h1>Forbidden</h1>"))
            let overview = try await admin.get("/ui/", client: client)
            let token = Browser.csrfToken(in: overview.html) ?? ""
            let post = try await admin.post(Self.page, form: [("csrf_token", token)] + fields, client: client)
            #expect(post.status == .forbidden)

            var browser = try await Browser.signedIn(DashboardWorld.operatorEmail, client: client)
            for token in [[], [("csrf_token", "forged")]] {
                let refused = try await browser.post(Self.page, form: token + fields, client: client)
                #expect(refused.status == .forbidden)
                #expect(refused.html.contains("Form refused"))
            }
            #expect(try await world.gateway.billingSettings(by: root) == BillingSettings())
        }
    }

    @Test func theOrganizationIsRenamedAndDisabledFromItsPage() async throws {
        let world = try await DashboardWorld.make()
        try await world.makeOperator()
        let root = try DashboardWorld.root()
        let page = "/ui/admin/orgs/\(world.acme.rawValue)"
        try await world.test { client in
            var browser = try await Browser.signedIn(DashboardWorld.operatorEmail, client: client)
            let shown = try await browser.get(page, client: client)
            // What `GET /v1/orgs/{id}` shows: the callback URL base among the rest.
            let view = try await world.gateway.organization(world.acme, by: root)
            let token = try #require(view.callbackToken)
            let base = world.gateway.payments.callbackURLBase(slug: "acme", token: token)
            #expect(shown.html.contains("<dt>Callback URL base</dt><dd><code>\(base)</code>"))
            #expect(shown.html.contains("value=\"Acme Traders\""))
            #expect(shown.html.contains("<option value=\"disabled\" selected>"))

            let blank = try await browser.submit(page, to: page + "/name", fields: [("name", "   ")], client: client)
            #expect(blank.status == .unprocessableContent)
            #expect(blank.html.contains("id=\"name-error\""))
            #expect(blank.html.contains("name must be 1 to 100 characters"))
            let long = String(repeating: "n", count: 101)
            let tooLong = try await browser.submit(page, to: page + "/name", fields: [("name", long)], client: client)
            #expect(tooLong.status == .unprocessableContent)
            #expect(tooLong.html.contains("value=\"\(long)\""))

            let form = try await browser.get(page, client: client).html
            let fields = [
                ("csrf_token", Browser.csrfToken(in: form) ?? ""),
                ("idempotency_key", Browser.hidden("idempotency_key", in: form) ?? ""), ("name", "Acme <Holdings>"),
            ]
            let renamed = try await browser.post(page + "/name", form: fields, client: client)
            #expect(renamed.status == .seeOther)
            #expect(renamed.headers[.location] == page + "?done=name")
            #expect(try await browser.post(page + "/name", form: fields, client: client).status == .seeOther)
            #expect(try await world.gateway.organization(world.acme, by: root).record.name == "Acme <Holdings>")
            let audit = try await world.gateway.auditLog(
                in: world.acme, after: 0, limit: 100, filter: AuditFilter(action: "organization.update"), by: root)
            #expect(audit.entries.count == 1)
            let after = try await browser.get(page + "?done=name", client: client)
            #expect(after.html.contains("<h1>Acme &lt;Holdings&gt;</h1>"))
            #expect(after.html.contains("The organization was renamed."))

            let wrong = try await browser.submit(
                page, to: page + "/status", fields: [("status", "closed")], client: client)
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.html.contains("id=\"status-error\""))
            let disabled = try await browser.submit(
                page, to: page + "/status", fields: [("status", "disabled")], client: client)
            #expect(disabled.status == .seeOther)
            #expect(try await world.gateway.organization(world.acme, by: root).record.status == .disabled)
            let list = try await browser.get("/ui/admin/orgs", client: client)
            #expect(list.html.contains("</td><td>disabled</td>"))
            let offered = try await browser.get(page, client: client)
            #expect(offered.html.contains("<option value=\"active\" selected>"))
        }
    }

    @Test func theCallbackTokenIsReplacedOncePerFormAndNotWhileTheLastOneIsAccepted() async throws {
        let world = try await DashboardWorld.make()
        try await world.makeOperator()
        let root = try DashboardWorld.root()
        let page = "/ui/admin/orgs/\(world.acme.rawValue)"
        @Sendable func token() async throws -> String {
            try #require(try await world.gateway.organization(world.acme, by: root).callbackToken)
        }
        let first = try await token()
        try await world.test { client in
            var browser = try await Browser.signedIn(DashboardWorld.operatorEmail, client: client)
            let words = try await browser.submit(
                page, to: page + "/callback-token", fields: [("previous_valid_hours", "a day")], client: client)
            #expect(words.status == .unprocessableContent)
            #expect(words.html.contains("id=\"previous_valid_hours-error\""))
            #expect(words.html.contains("value=\"a day\""))
            let tooLong = try await browser.submit(
                page, to: page + "/callback-token", fields: [("previous_valid_hours", "9000")], client: client)
            #expect(tooLong.status == .unprocessableContent)
            #expect(tooLong.html.contains("previous_valid_hours must be 0 to 8784"))
            #expect(try await token() == first)

            let form = try await browser.get(page, client: client).html
            let fields = [
                ("csrf_token", Browser.csrfToken(in: form) ?? ""),
                ("idempotency_key", Browser.hidden("idempotency_key", in: form) ?? ""),
                ("previous_valid_hours", "24"),
            ]
            let done = try await browser.post(page + "/callback-token", form: fields, client: client)
            #expect(done.status == .seeOther)
            #expect(done.headers[.location] == page + "?done=callback-token")
            #expect(try await browser.post(page + "/callback-token", form: fields, client: client).status == .seeOther)
            let second = try await token()
            #expect(second != first)
            let audit = try await world.gateway.auditLog(
                in: world.acme, after: 0, limit: 100, filter: AuditFilter(action: "organization.callback_token_rotate"),
                by: root)
            #expect(audit.entries.count == 1)
            let shown = try await browser.get(page + "?done=callback-token", client: client)
            #expect(shown.html.contains(world.gateway.payments.callbackURLBase(slug: "acme", token: second)))
            #expect(shown.html.contains("<dt>Replaced callback token accepted until (EAT)</dt>"))

            // Again while the replaced one is accepted: refused next to force, unless it is checked.
            let refused = try await browser.submit(
                page, to: page + "/callback-token", fields: [("previous_valid_hours", "0")], client: client)
            #expect(refused.status == .conflict)
            #expect(refused.html.contains("id=\"force-error\""))
            #expect(refused.html.contains("value=\"0\""))
            #expect(try await token() == second)
            let forced = try await browser.submit(
                page, to: page + "/callback-token", fields: [("previous_valid_hours", "0"), ("force", "1")],
                client: client)
            #expect(forced.status == .seeOther)
            #expect(try await token() != second)
        }
    }

    @Test func theNameAndStatusFormsAreRefusedToOthersAndWithoutTheToken() async throws {
        let world = try await DashboardWorld.make()
        try await world.makeOperator()
        let root = try DashboardWorld.root()
        let page = "/ui/admin/orgs/\(world.acme.rawValue)"
        let posts: [(String, [(String, String)])] = [
            (page + "/name", [("name", "Mine")]), (page + "/status", [("status", "disabled")]),
            (page + "/callback-token", [("previous_valid_hours", "0"), ("force", "1")]),
        ]
        let callbackToken = try await world.gateway.organization(world.acme, by: root).callbackToken
        try await world.test { client in
            var admin = try await Browser.signedIn(DashboardWorld.admin, client: client)
            let token = Browser.csrfToken(in: try await admin.get("/ui/", client: client).html) ?? ""
            for (uri, fields) in posts {
                let post = try await admin.post(uri, form: [("csrf_token", token)] + fields, client: client)
                #expect(post.status == .forbidden, "\(uri)")
            }
            var browser = try await Browser.signedIn(DashboardWorld.operatorEmail, client: client)
            for (uri, fields) in posts {
                let post = try await browser.post(uri, form: [("csrf_token", "forged")] + fields, client: client)
                #expect(post.status == .forbidden, "\(uri)")
                #expect(post.html.contains("Form refused"), "\(uri)")
            }
            let missing = try await browser.submit(
                page, to: "/ui/admin/orgs/org_00000000000000000000000000/name", fields: [("name", "X")],
                client: client)
            #expect(missing.status == .notFound)
            let view = try await world.gateway.organization(world.acme, by: root)
            #expect(view.callbackToken == callbackToken)
            let record = view.record
            #expect(record.name == "Acme Traders")
            #expect(record.status == .active)
        }
    }
}
