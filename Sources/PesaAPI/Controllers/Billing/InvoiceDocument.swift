import Foundation
import Mustache
import PesaCore

/// An invoice as a printable HTML page (the operator's name, address and KRA PIN, the organization, every line
/// with the journal range it was counted from, VAT and total) and as CSV of its lines. Amounts are KES with two
/// decimals; dates are Kenya time.
enum InvoiceDocument {
    static func html(_ invoice: Invoice, settings: BillingSettings) -> String {
        template.render(context(invoice, settings: settings))
    }

    /// One row per line (`item,description,used,included,quantity,unit_amount,amount,seq_from,seq_to`), then the
    /// subtotal, VAT and total rows.
    static func csv(_ invoice: Invoice) throws -> String {
        var rows = [
            ["item", "description", "used", "included", "quantity", "unit_amount", "amount", "seq_from", "seq_to"]
        ]
        for line in invoice.lines {
            let counts: [String] = [line.used, line.included].map { $0.map(String.init) ?? "" }
            let source: [String] = [line.seqFrom, line.seqTo].map { $0.map(String.init) ?? "" }
            let money: [String] = [String(line.quantity), line.unitAmount.description, line.amount.description]
            rows.append([line.item, CSVText.safe(line.description)] + counts + money + source)
        }
        let rate = vatRate(invoice.vatBasisPoints)
        for (item, label, amount) in [
            ("subtotal", "Subtotal", invoice.subtotal),
            ("vat", "VAT \(rate) %\(invoice.vatInclusive ? " (included)" : "")", invoice.tax),
            ("total", "Total", invoice.total),
        ] {
            rows.append([item, label, "", "", "", "", amount.description, "", ""])
        }
        return String(decoding: try CSVText.encode(rows), as: UTF8.self)
    }

    static func vatRate(_ basisPoints: Int64) -> String {
        let whole = basisPoints / 100
        let fraction = basisPoints % 100
        return fraction == 0 ? String(whole) : "\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    private static func context(_ invoice: Invoice, settings: BillingSettings) -> [String: Any] {
        let title = invoice.kind == .creditNote ? "Credit note" : "Invoice"
        let day = { (ms: Int64?) in ms.map { KenyaTime.dayKey(ms: $0) } ?? "" }
        return [
            "title": title, "number": invoice.number ?? "Draft (no number yet)", "status": invoice.status.rawValue,
            "month": invoice.month, "issued": day(invoice.finalizedAtMs ?? invoice.createdAtMs),
            "due": day(invoice.dueAtMs), "paid": day(invoice.paidAtMs),
            "period": "\(day(invoice.periodStartMs)) to \(day(invoice.periodEndMs - 1)) (Kenya time, EAT)",
            "operator_name": settings.operatorName, "operator_address": settings.operatorAddress,
            "operator_pin": settings.operatorTaxPIN, "customer": invoice.organizationName ?? "",
            "plan": "\(invoice.plan) (version \(invoice.planVersion))",
            "lines": invoice.lines.map { line in
                [
                    "description": line.description, "quantity": String(line.quantity),
                    "unit_amount": line.unitAmount.description, "amount": line.amount.description,
                    "source": line.seqFrom.map { "journal \($0)–\(line.seqTo ?? $0)" } ?? "",
                ]
            },
            "subtotal": invoice.subtotal.description, "tax": invoice.tax.description,
            "total": invoice.total.description,
            "vat": "VAT \(vatRate(invoice.vatBasisPoints)) %\(invoice.vatInclusive ? ", included in the prices" : "")",
            "payment": invoice.payment.map { "\($0.method) \($0.reference)" } ?? "",
            "void_reason": invoice.voidReason ?? "", "has_due": invoice.dueAtMs != nil && invoice.kind == .invoice,
            "has_paid": invoice.paidAtMs != nil, "has_void": invoice.voidReason != nil,
        ]
    }

    // `{{ }}` escapes HTML: every value from a user (names, addresses, reasons) is escaped.
    private static let template: MustacheTemplate = {
        let text = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>{{title}} {{number}}</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2rem;color:#111}table{border-collapse:collapse;width:100%}
            th,td{border-bottom:1px solid #ccc;padding:.4rem;text-align:left}td.n,th.n{text-align:right}
            .meta{display:flex;justify-content:space-between;gap:2rem}@media print{body{margin:0}}
            </style></head>
            <body>
            <h1>{{title}} {{number}}</h1>
            <div class="meta">
            <section><strong>{{operator_name}}</strong><br>{{operator_address}}<br>KRA PIN: {{operator_pin}}</section>
            <section>Billed to: <strong>{{customer}}</strong><br>Month: {{month}}<br>Period: {{period}}<br>
            Plan: {{plan}}<br>Issued: {{issued}}{{#has_due}}<br>Due: {{due}}{{/has_due}}<br>Status: {{status}}
            {{#has_paid}}<br>Paid: {{paid}} ({{payment}}){{/has_paid}}
            {{#has_void}}<br>Void: {{void_reason}}{{/has_void}}
            </section></div>
            <table><thead><tr><th>Description</th><th class="n">Quantity</th><th class="n">Unit (KES)</th>
            <th class="n">Amount (KES)</th><th>Counted from</th></tr></thead><tbody>
            {{#lines}}<tr><td>{{description}}</td><td class="n">{{quantity}}</td><td class="n">{{unit_amount}}</td>
            <td class="n">{{amount}}</td><td>{{source}}</td></tr>
            {{/lines}}</tbody><tfoot>
            <tr><td colspan="3">Subtotal</td><td class="n">{{subtotal}}</td><td></td></tr>
            <tr><td colspan="3">{{vat}}</td><td class="n">{{tax}}</td><td></td></tr>
            <tr><th colspan="3">Total (KES)</th><th class="n">{{total}}</th><th></th></tr>
            </tfoot></table>
            <p>Amounts in Kenyan shillings. Each line cites the positions in the organization's journal it was counted
            from.</p>
            </body></html>
            """
        guard let template = try? MustacheTemplate(string: text) else {
            preconditionFailure("the invoice template parses")
        }
        return template
    }()
}
