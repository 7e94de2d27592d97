import Foundation
import HTTPTypes
import HummingbirdTesting
import PesaAPI
import PesaCore
import PesaEngine
import Testing

/// A batch's page after its creation: the list, another organization's batch, maker-checker approval, a
/// double submit of a button, and the results CSV.
@Suite struct DashboardBatchReviewTests {
    /// A batch of Acme made by `email` through the preview and its confirm; its id.
    static func createBatch(
        _ csv: String = DashboardBatchesTests.good, as email: String, world: PayoutWorld, client: any TestClientProtocol
    ) async throws -> BatchID {
        var browser = try await PayoutWorld.browser(email, client: client)
        let (token, preview) = try await DashboardBatchesTests.preview(csv, browser: &browser, client: client)
        let key = try #require(PayoutWorld.value(of: "idempotency_key", in: preview.html))
        let created = try await browser.post(
            "/ui/batches/new",
            form: [
                ("csrf_token", token), ("idempotency_key", key), ("step", "confirm"), ("command", "business_payment"),
                ("csv_text", csv),
            ], client: client)
        #expect(created.status == .seeOther, "\(created.html)")
        let batches = try await world.batches()
        return try #require(batches.first?.id)
    }

    @Test func theListShowsOnlyTheOrganizationsBatchesAndAnotherOnesIsNotFound() async throws {
        try await PayoutWorld.run { world, client in
            let id = try await Self.createBatch(as: PayoutWorld.manager, world: world, client: client)
            var browser = try await PayoutWorld.browser(PayoutWorld.manager, client: client)
            let list = try await browser.get("/ui/batches", client: client)
            #expect(list.status == .ok)
            #expect(list.html.contains("<a href=\"/ui/batches/\(id.rawValue)\">\(id.rawValue)</a>"))
            #expect(list.html.contains("KES 350.00"))
            #expect(list.html.contains("<td>queued</td>"))
            #expect(list.html.contains("href=\"/ui/batches/new\""))
            #expect(!list.html.contains(world.globexBatch.rawValue))
            #expect(!list.html.contains("rel=\"next\""))
            let foreign = try await browser.get("/ui/batches/\(world.globexBatch.rawValue)", client: client)
            #expect(foreign.status == .notFound)
            let foreignCSV = try await browser.get(
                "/ui/batches/\(world.globexBatch.rawValue)/results.csv", client: client)
            #expect(foreignCSV.status == .notFound)
            let page = try await browser.get("/ui/batches/\(id.rawValue)", client: client)
            let token = try #require(Browser.csrfToken(in: page.html))
            let cancel = try await browser.post(
                "/ui/batches/\(world.globexBatch.rawValue)/cancel", form: [("csrf_token", token)], client: client)
            #expect(cancel.status == .notFound)
            let globex = try await world.gateway.payoutBatch(
                world.globexBatch, in: world.globex, by: PayoutWorld.root)
            #expect(globex.cancelledBy == nil)
            let bogus = try await browser.get("/ui/batches/nonsense", client: client)
            #expect(bogus.status == .notFound)
            let offset = try await browser.get("/ui/batches?offset=-4", client: client)
            #expect(offset.status == .unprocessableContent)
        }
    }

    @Test func anApprovalNeedsAnotherOrgAdminAndADoubleSubmitChangesNothingMore() async throws {
        try await PayoutWorld.run { world, client in
            _ = try await world.gateway.savePayoutBatchSettings(
                BatchSettings(approval: .all), in: world.acme, by: PayoutWorld.root)
            let id = try await Self.createBatch(as: PayoutWorld.admin, world: world, client: client)
            let path = "/ui/batches/\(id.rawValue)"
            // The creator sees no Approve button, and is refused if they send the form anyway.
            var maker = try await PayoutWorld.browser(PayoutWorld.admin, client: client)
            let own = try await maker.get(path, client: client)
            #expect(own.html.contains("<dd>awaiting_approval</dd>"))
            #expect(own.html.contains("another org_admin must approve it"))
            #expect(!own.html.contains("\(path)/approve"))
            #expect(own.html.contains("\(path)/reject"))
            let makerToken = try #require(Browser.csrfToken(in: own.html))
            let version = try #require(PayoutWorld.value(of: "version", in: own.html))
            let refused = try await maker.post(
                path + "/approve", form: [("csrf_token", makerToken), ("version", version)], client: client)
            #expect(refused.status == .forbidden)
            #expect(refused.html.contains("may not approve it"))
            // A manager sees that it waits, with no review button.
            var manager = try await PayoutWorld.browser(PayoutWorld.manager, client: client)
            let waiting = try await manager.get(path, client: client)
            #expect(waiting.html.contains("waits for an org_admin"))
            #expect(!waiting.html.contains("\(path)/approve") && !waiting.html.contains("\(path)/reject"))
            // Another org_admin approves; a second press of the same button does nothing more.
            var checker = try await PayoutWorld.browser(PayoutWorld.checker, client: client)
            let page = try await checker.get(path, client: client)
            #expect(page.html.contains("action=\"\(path)/approve\""))
            let token = try #require(Browser.csrfToken(in: page.html))
            let form = [
                ("csrf_token", token), ("version", try #require(PayoutWorld.value(of: "version", in: page.html))),
            ]
            let missing = try await checker.post(path + "/approve", form: [form[1]], client: client)
            #expect(missing.status == .forbidden)
            let first = try await checker.post(path + "/approve", form: form, client: client)
            #expect(first.status == .seeOther)
            #expect(first.headers[.location] == path + "?done=approved")
            let second = try await checker.post(path + "/approve", form: form, client: client)
            #expect(second.headers[.location] == path + "?done=unchanged")
            let approved = try await checker.get(path + "?done=approved", client: client)
            #expect(approved.html.contains("Approved: the batch"))
            #expect(approved.html.contains("<dd>queued</dd>"))
            #expect(approved.html.contains("<dt>Reviewed by</dt><dd>\(PayoutWorld.checker) (usr_"))
            let batch = try await world.gateway.payoutBatch(id, in: world.acme, by: PayoutWorld.root)
            #expect(batch.review == .approved)
            let audit = try await world.gateway.auditLog(
                in: world.acme, after: 0, limit: 100, filter: AuditFilter(action: "payout_batch.approved"),
                by: PayoutWorld.root)
            #expect(audit.entries.count == 1)
        }
    }

    @Test func aRejectionSkipsEveryRowWithItsReason() async throws {
        try await PayoutWorld.run { world, client in
            _ = try await world.gateway.savePayoutBatchSettings(
                BatchSettings(approval: .all), in: world.acme, by: PayoutWorld.root)
            let id = try await Self.createBatch(as: PayoutWorld.manager, world: world, client: client)
            let path = "/ui/batches/\(id.rawValue)"
            var admin = try await PayoutWorld.browser(PayoutWorld.admin, client: client)
            let page = try await admin.get(path, client: client)
            let token = try #require(Browser.csrfToken(in: page.html))
            let version = try #require(PayoutWorld.value(of: "version", in: page.html))
            let rejected = try await admin.post(
                path + "/reject", form: [("csrf_token", token), ("version", version), ("reason", "<b>Wrong</b>")],
                client: client)
            #expect(rejected.headers[.location] == path + "?done=rejected")
            let after = try await admin.get(path, client: client)
            #expect(after.html.contains("<dd>rejected</dd>"))
            #expect(after.html.contains("<dd>&lt;b&gt;Wrong&lt;/b&gt;</dd>"))
            #expect(after.html.contains("<td>skipped</td><td class=\"n\">2</td>"))
            #expect(!after.html.contains("\(path)/cancel"))
        }
    }

    @Test func aRetryQueuesTheFailedRowsOnceAndShowsTheirError() async throws {
        try await PayoutWorld.run { world, client in
            let id = try await Self.createBatch(as: PayoutWorld.manager, world: world, client: client)
            // Row 2 refused before reaching Daraja (a retryable failure), as the batch sender records it.
            let failed = TenantEvent.batchChanged(
                .init(
                    batchID: id, change: .itemFailed, actor: "system", reason: "<i>busy</i>", item: 1, errorCode: "26"))
            try await world.gateway.engine(world.acme).execute { (_, _) throws(EngineError) in
                Decision(events: [failed], value: ())
            }
            let path = "/ui/batches/\(id.rawValue)"
            var browser = try await PayoutWorld.browser(PayoutWorld.manager, client: client)
            let page = try await browser.get(path, client: client)
            #expect(page.html.contains("<td>failed (retryable)</td>"))
            #expect(page.html.contains("<td>26: &lt;i&gt;busy&lt;/i&gt;</td>"))
            #expect(page.html.contains("Retry the 1 failed rows a retry may cure"))
            let token = try #require(Browser.csrfToken(in: page.html))
            let version = try #require(PayoutWorld.value(of: "version", in: page.html))
            let form = [("csrf_token", token), ("version", version)]
            let first = try await browser.post(path + "/retry-failed", form: form, client: client)
            #expect(first.headers[.location] == path + "?done=retried")
            let second = try await browser.post(path + "/retry-failed", form: form, client: client)
            #expect(second.headers[.location] == path + "?done=unchanged")
            let after = try await browser.get(path + "?done=unchanged", client: client)
            #expect(after.html.contains("nothing more was done"))
            #expect(!after.html.contains("/retry-failed"))
            let batch = try await world.gateway.payoutBatch(id, in: world.acme, by: PayoutWorld.root)
            #expect(batch.count(of: .queued) == 2)
            let audit = try await world.gateway.auditLog(
                in: world.acme, after: 0, limit: 100, filter: AuditFilter(action: "payout_batch.retry_failed"),
                by: PayoutWorld.root)
            #expect(audit.entries.count == 1)
        }
    }

    @Test func theResultsCSVIsTheAPIsWithFormulasDefused() async throws {
        try await PayoutWorld.run { world, client in
            let id = try await Self.createBatch(as: PayoutWorld.manager, world: world, client: client)
            var browser = try await PayoutWorld.browser(PayoutWorld.manager, client: client)
            let page = try await browser.get("/ui/batches/\(id.rawValue)", client: client)
            #expect(page.html.contains("href=\"/ui/batches/\(id.rawValue)/results.csv\" download"))
            let csv = try await browser.get("/ui/batches/\(id.rawValue)/results.csv", client: client)
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.headers[.contentDisposition] == "attachment; filename=\"\(id.rawValue)-results.csv\"")
            let lines = csv.html.split(separator: "\n").map(String.init)
            #expect(lines.count == 3)
            #expect(
                lines.first
                    == "row_id,row,phone,amount,reference,name,state,payment_id,mpesa_receipt,error_code,"
                    + "error_message,updated_at")
            #expect(
                lines[1].hasPrefix("row_acme_000001_1,1,254708374149,100.00,Pay 1,<script>alert(1)</script>,queued"))
            #expect(lines[2].hasPrefix("row_acme_000001_2,2,254708374150,250.00,'-Pay 2,'=HYPERLINK(1),queued"))
            var user = try await PayoutWorld.browser(PayoutWorld.user, client: client)
            let refused = try await user.get("/ui/batches/\(id.rawValue)/results.csv", client: client)
            #expect(refused.status == .forbidden)
        }
    }
}
