import PesaCore
import PesaEngine

extension BatchUploadView {
    /// The environment of the short code the batch would pay from: the one chosen, else the default one.
    var environment: String? {
        let chosen = shortCodes.first { $0.number == shortCode }
        return (chosen ?? shortCodes.first)?.environment
    }

    /// `KES 1,234.00` for whole shillings a batch may hold; the number as read otherwise.
    static func shillings(_ amount: Int64?) -> String {
        guard let amount else { return "" }
        let (minorUnits, overflow) = amount.multipliedReportingOverflow(by: Limits.minorUnitsPerShillingCount)
        return overflow ? String(amount) : DashboardFormat.kes(minorUnits: minorUnits)
    }

    /// The rows' total, when every row was read as whole shillings.
    var total: Amount? {
        var minorUnits: Int64 = 0
        for row in rows {
            guard let amount = row.amount else { return nil }
            let (value, overflow) = amount.multipliedReportingOverflow(by: Limits.minorUnitsPerShillingCount)
            guard !overflow else { return nil }
            let (sum, sumOverflow) = minorUnits.addingReportingOverflow(value)
            guard !sumOverflow else { return nil }
            minorUnits = sum
        }
        return Amount(minorUnits: minorUnits)
    }

    var context: [String: Any] {
        let environment = self.environment
        let selected = shortCode.isEmpty ? shortCodes.first?.number : shortCode
        let total = isValid ? self.total : nil
        return [
            "csrf_token": csrfToken, "idempotency_key": idempotencyKey, "org": DashboardPages.section(org),
            "error": DashboardPages.section(error), "valid": isValid, "read": read, "upload_shown": !read || !isValid,
            "environment": DashboardPages.section(environment),
            "environment_label": environment == "production"
                ? "PRODUCTION: this batch sends real money to real customers." : "SANDBOX: test money only.",
            "no_short_code": shortCodes.isEmpty, "short_codes_shown": shortCodes.count > 1,
            "short_codes": shortCodes.map {
                ["value": $0.number, "label": $0.label, "selected": $0.number == selected] as [String: Any]
            },
            "short_code": shortCode, "short_code_error": DashboardPages.section(shortCodeError),
            "commands": B2CCommand.allCases.map {
                ["value": $0.rawValue, "label": $0.darajaCommandID, "selected": $0.rawValue == command] as [String: Any]
            },
            "command": command, "command_error": DashboardPages.section(commandError),
            "allow_duplicates": allowDuplicates, "text": text, "text_error": DashboardPages.section(textError),
            "bytes_max": String(Limits.batchBodyBytesMax / 1024 / 1024),
            "row_count": String(rows.count), "bad_count": String(rowErrors.count),
            "total": DashboardPages.section(total.map { DashboardFormat.kes($0) }),
            "approval_note": total.map { approval.requiresApproval(total: $0) } ?? false,
            "rows": rows.enumerated().map { index, row -> [String: Any] in
                let errors = rowErrors[index] ?? []
                return [
                    "row": String(index + 1), "phone": row.phone, "amount": Self.shillings(row.amount),
                    "reference": row.reference, "name": row.name ?? "", "bad": !errors.isEmpty, "errors": errors,
                ]
            },
        ]
    }
}
