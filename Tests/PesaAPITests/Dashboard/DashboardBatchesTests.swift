import Foundation
import HTTPTypes
import HummingbirdTesting
import PesaAPI
import PesaCore
import PesaEngine
import Testing

/// The batch pages through the real router and engine against the embedded sandbox: the preview of an
/// upload (bad rows named, nothing created), a double confirm, the list and a batch of another organization,
/// maker-checker approval, escaping and the results CSV.
@Suite struct DashboardBatchesTests {
    static let good = """
        phone,amount,reference,name
        0708374149,100,Pay 1,<script>alert(1)</script>
        254708374150,250,-Pay 2,=HYPERLINK(1)
        """

    /// The preview of `csv` (pasted), the form's CSRF token and the preview's answer.
    static func preview(
        _ csv: String, browser: inout Browser, client: any TestClientProtocol
    ) async throws -> (token: String, page: TestResponse) {
        let form = try await browser.get("/ui/batches/new", client: client)
        #expect(form.status == .ok)
        let token = try #require(Browser.csrfToken(in: form.html))
        let page = try await browser.post(
            "/ui/batches/new",
            form: [("csrf_token", token), ("step", "preview"), ("command", "business_payment"), ("csv_text", csv)],
            client: client)
        return (token, page)
    }

    @Test func aGoodCSVIsPreviewedThenADoubleConfirmMakesOneBatch() async throws {
        try await PayoutWorld.run { world, client in
            var browser = try await PayoutWorld.browser(PayoutWorld.manager, client: client)
            let (token, preview) = try await Self.preview(Self.good, browser: &browser, client: client)
            #expect(preview.status == .ok)
            #expect(preview.html.contains("<h1>Check the batch</h1>"))
            #expect(preview.html.contains("2 rows, KES 350.00 in all"))
            #expect(preview.html.contains("SANDBOX"))
            #expect(preview.html.contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"))
            #expect(!preview.html.contains("<script>"))
            #expect(try await world.batches().isEmpty)
            let key = try #require(PayoutWorld.value(of: "idempotency_key", in: preview.html))
            let carried = try #require(PayoutWorld.value(of: "csv_text", in: preview.html))
            #expect(carried == Self.good)
            let confirm = [
                ("csrf_token", token), ("idempotency_key", key), ("step", "confirm"), ("command", "business_payment"),
                ("short_code", ""), ("csv_text", carried),
            ]
            let first = try await browser.post("/ui/batches/new", form: confirm, client: client)
            #expect(first.status == .seeOther, "\(first.html)")
            let second = try await browser.post("/ui/batches/new", form: confirm, client: client)
            #expect(second.headers[.location] == first.headers[.location])
            let batches = try await world.batches()
            #expect(batches.count == 1)
            let batch = try #require(batches.first)
            #expect(batch.itemCount == 2)
            #expect(batch.total == Amount(shillings: 350))
            #expect(first.headers[.location] == "/ui/batches/\(batch.id.rawValue)?done=created")
            let page = try await browser.get("/ui/batches/\(batch.id.rawValue)?done=created", client: client)
            #expect(page.status == .ok)
            #expect(page.html.contains("Batch created."))
            #expect(page.html.contains("<dt>Total</dt><dd>KES 350.00</dd>"))
            #expect(page.html.contains("<td>queued</td><td class=\"n\">2</td><td class=\"n\">KES 350.00</td>"))
            #expect(page.html.contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"))
            #expect(!page.html.contains("<script>"))
            // Queued, nothing failed yet: no retry; a manager may cancel.
            #expect(!page.html.contains("/retry-failed"))
            #expect(page.html.contains("/ui/batches/\(batch.id.rawValue)/cancel"))
            #expect(page.html.contains("<meta http-equiv=\"refresh\""))
        }
    }

    @Test func aBadRowIsShownWithItsErrorAndNothingIsCreated() async throws {
        try await PayoutWorld.run { world, client in
            var browser = try await PayoutWorld.browser(PayoutWorld.manager, client: client)
            let csv = "phone,amount,reference\n0708374149,100,Pay 1\n12345,abc,Pay <2>\n0708374149,300,Pay 3\n"
            let (token, preview) = try await Self.preview(csv, browser: &browser, client: client)
            #expect(preview.status == .unprocessableContent)
            #expect(preview.html.contains("1 of 3 rows have errors: nothing was"))
            #expect(preview.html.contains("<p class=\"error\">row 2: phone is not a Kenyan number</p>"))
            #expect(preview.html.contains("<p class=\"error\">row 2: amount must be whole shillings</p>"))
            #expect(preview.html.contains("row 2: reference may hold letters"))
            #expect(preview.html.components(separatedBy: "<tr class=\"bad\">").count == 2)
            #expect(!preview.html.contains("Create the batch"))
            // The upload form again, the CSV in its text box to fix.
            #expect(preview.html.contains(">phone,amount,reference\n0708374149,100,Pay 1\n12345,abc,Pay &lt;2&gt;"))
            // Confirming it anyway (a forged form) creates nothing either.
            let forced = try await browser.post(
                "/ui/batches/new",
                form: [
                    ("csrf_token", token), ("idempotency_key", "k1"), ("step", "confirm"),
                    ("command", "business_payment"), ("csv_text", csv),
                ], client: client)
            #expect(forced.status == .unprocessableContent)
            let header = try await browser.post(
                "/ui/batches/new",
                form: [("csrf_token", token), ("command", "business_payment"), ("csv_text", "who,what\n1,2\n")],
                client: client)
            #expect(header.status == .unprocessableContent)
            #expect(header.html.contains("id=\"csv-error\""))
            #expect(header.html.contains("must name phone, amount and reference"))
            let tooLarge = try await browser.post(
                "/ui/batches/new",
                form: [
                    ("csrf_token", token), ("command", "business_payment"),
                    ("csv_text", "phone,amount,reference\n" + String(repeating: "x", count: Limits.batchBodyBytesMax)),
                ], client: client)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.html.contains("The CSV is larger than 4 MiB"))
            let forged = try await browser.post(
                "/ui/batches/new", form: [("command", "business_payment"), ("csv_text", csv)], client: client)
            #expect(forged.status == .forbidden)
            #expect(try await world.batches().isEmpty)
        }
    }

    @Test func aFileUploadIsPreviewedLikePastedRows() async throws {
        try await PayoutWorld.run { world, client in
            var browser = try await PayoutWorld.browser(PayoutWorld.admin, client: client)
            let form = try await browser.get("/ui/batches/new", client: client)
            #expect(form.html.contains("enctype=\"multipart/form-data\""))
            let token = try #require(Browser.csrfToken(in: form.html))
            let preview = try await browser.postMultipart(
                "/ui/batches/new",
                form: [("csrf_token", token), ("step", "preview"), ("command", "salary_payment"), ("csv_text", "")],
                file: ("staff.csv", "\u{FEFF}Phone;Amount;Reference\r\n0708374149;1200;Salary May\r\n"),
                client: client)
            #expect(preview.status == .ok, "\(preview.html)")
            #expect(preview.html.contains("1 rows, KES 1,200.00 in all, as salary_payment"))
            #expect(preview.html.contains("<td>Salary May</td>"))
            #expect(try await world.batches().isEmpty)
        }
    }
}
