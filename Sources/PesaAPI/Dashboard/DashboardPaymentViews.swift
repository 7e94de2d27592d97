import Foundation
import PesaCore
import PesaEngine

/// The payment list's filters as typed, what reading them found wrong, and the page of payments.
struct PaymentListView {
    /// A non-empty query value by name.
    let query: (String) -> String?
    /// The organization a super admin named (`?org=`), kept in every link.
    let org: String?
    /// The type a list of one kind shows (the payouts: `b2c`); its filter is then left out.
    var fixedType: PaymentType?
    /// The page's link (and the form's) when the caller may make one of what it lists.
    var newLink: (href: String, label: String)?
    /// What the full payment list offers besides its rows: links to the other payment pages, the status form.
    var tools: [String: Any] = [:]
    var rows: [Payment] = []
    var nextCursor: String?
    var errors: [String: String] = [:]
    var notice: String?

    static let filterNames = ["status", "type", "short_code", "phone", "receipt", "from", "to"]

    /// The list's own path: the payouts are a list of their own.
    var path: String { fixedType == .b2c ? "/ui/payouts" : "/ui/payments" }
    /// The filters the page shows: all but the type of a list of one type.
    var shownFilters: [String] { Self.filterNames.filter { $0 != "type" || fixedType == nil } }

    var failed: Bool { !errors.isEmpty || notice != nil }

    mutating func fail(param: String?, message: String) {
        if let param, Self.filterNames.contains(param) { errors[param] = message } else { notice = message }
    }

    /// `from` and `to` as Kenya dates (`2026-05-01`), `to` inclusive; RFC 3339 date-times are taken as the API
    /// takes them.
    func timeRange() throws -> TimeRange {
        let from = try query("from").map { try Self.kenyaDateMs($0, param: "from", dayAfter: false) }
        let to = try query("to").map { try Self.kenyaDateMs($0, param: "to", dayAfter: true) }
        // `to` is the end of its day: a `from` day after the `to` day starts at or after it.
        if let from, let to, from >= to { throw APIError.invalidField("from", "from must not be after to") }
        return TimeRange(fromMs: from, toMs: to)
    }

    static func kenyaDateMs(_ text: String, param: String, dayAfter: Bool) throws -> Int64 {
        let bytes = Array(text.utf8)
        let isDate =
            bytes.count == 10 && bytes[4] == UInt8(ascii: "-") && bytes[7] == UInt8(ascii: "-")
            && bytes.enumerated().allSatisfy { $0.offset == 4 || $0.offset == 7 || (48...57).contains($0.element) }
        guard isDate else {
            if bytes.count > 10, bytes.prefix(4).allSatisfy({ (48...57).contains($0) }) {
                return try TimeRange.parse(text, param: param)
            }
            throw APIError.invalidField(param, "\(param) must be a date such as 2026-01-31")
        }
        do {
            let start = try TimeRange.parse(text + "T00:00:00+03:00", param: param)
            return dayAfter ? start + 86_400_000 : start
        } catch {
            throw APIError.invalidField(param, "\(param) must be a date such as 2026-01-31")
        }
    }

    /// The list's path with the filters as typed, `org` and the given paging values.
    func link(cursor: String?, trail: [String]) -> String {
        var items: [URLQueryItem] = []
        if let org { items.append(URLQueryItem(name: "org", value: org)) }
        for name in shownFilters {
            if let value = query(name) { items.append(URLQueryItem(name: name, value: value)) }
        }
        if let cursor { items.append(URLQueryItem(name: "cursor", value: cursor)) }
        if !trail.isEmpty { items.append(URLQueryItem(name: "trail", value: trail.joined(separator: "."))) }
        var components = URLComponents()
        components.path = path
        components.queryItems = items.isEmpty ? nil : items
        return components.string ?? path
    }

    func context(shortCodes: [String]) -> [String: Any] {
        let cursor = query("cursor")
        let trail = (query("trail") ?? "").split(separator: ".").map(String.init).suffix(
            DashboardController.paymentTrailCountMax)
        var previous: String?
        if cursor != nil {
            previous = link(cursor: trail.last, trail: Array(trail.dropLast()))
        }
        let next = nextCursor.map { link(cursor: $0, trail: cursor.map { Array(trail) + [$0] } ?? []) }
        let choice = { (name: String, values: [String]) -> [[String: Any]] in
            [["value": "", "label": "Any", "selected": query(name) == nil] as [String: Any]]
                + values.map { ["value": $0, "label": $0, "selected": query(name) == $0] as [String: Any] }
        }
        let specs: [(String, String, [String]?, String)] = [
            ("status", "Status", PaymentStatus.allCases.map(\.rawValue), "text"),
            ("type", "Type", PaymentType.allCases.map(\.rawValue), "text"),
            ("short_code", "Short code", shortCodes.count > 1 ? shortCodes : nil, "text"),
            ("phone", "Phone", nil, "text"), ("receipt", "M-Pesa receipt", nil, "text"),
            ("from", "From (EAT)", nil, "date"), ("to", "To (EAT)", nil, "date"),
        ]
        let shown = specs.filter { shownFilters.contains($0.0) }
        let filters: [[String: Any]] = shown.map { name, label, values, inputType in
            var filter: [String: Any] = [
                "name": name, "label": label, "value": query(name) ?? "", "input_type": inputType,
                "error": DashboardPages.section(errors[name]), "choices_shown": false, "choices": [] as [Any],
            ]
            // A typed value that is not one of the choices stays visible as typed, with its error.
            if let values, query(name).map({ values.contains($0) }) ?? true {
                filter["choices_shown"] = true
                filter["choices"] = choice(name, values)
            }
            return filter
        }
        return [
            "org": DashboardPages.section(org), "heading": fixedType == .b2c ? "Payouts" : "Payments", "path": path,
            "new_link": newLink.map { ["href": $0.href, "label": $0.label] as [String: Any] } ?? false,
            "tools": tools.isEmpty ? false : tools, "filters": filters,
            "notice": DashboardPages.section(notice), "empty": !failed && rows.isEmpty,
            "rows": failed ? [] : rows.map(Self.row),
            "previous": DashboardPages.section(failed ? nil : previous),
            "next": DashboardPages.section(failed ? nil : next),
        ]
    }

    static func row(_ payment: Payment) -> [String: Any] {
        [
            "id": payment.id.rawValue, "status": payment.status.rawValue, "type": payment.type.rawValue,
            "amount": DashboardFormat.kes(payment.amount), "phone": payment.phone,
            "receipt": payment.mpesaReceipt ?? "", "short_code": payment.shortCode ?? "",
            "description": payment.description ?? payment.accountReference ?? "",
            "created": DashboardFormat.kenyaTime(ms: payment.createdAtMs),
        ]
    }
}

/// The STK push form's values as typed, their errors, and the short codes it may push from.
struct STKPushFormView: DashboardSentMoneyForm {
    struct ShortCode {
        let number: String
        let label: String
        let environment: String
    }

    static let fieldNames = ["phone", "amount", "account_reference", "description"]
    static let labels = [
        "phone": "Phone", "amount": "Amount (KES, whole shillings)", "account_reference": "Account reference",
        "description": "Description",
    ]

    var values: [String: String] = [:]
    var errors: [String: String] = [:]
    var error: String?
    var shortCodes: [ShortCode] = []
    var idempotencyKey = DashboardSessions.randomToken()
    var csrfToken = ""
    var org: String?

    /// The environment of the short code the push would go through: the one chosen, else the default one.
    var environment: String? {
        let chosen = values["short_code"].flatMap { name in shortCodes.first { $0.number == name } }
        return (chosen ?? shortCodes.first)?.environment
    }

    mutating func fail(param: String?, message: String) {
        fail(param: param, message: message, fields: Self.fieldNames + ["short_code"])
    }

    var context: [String: Any] {
        let environment = self.environment
        let selected = values["short_code"] ?? shortCodes.first?.number
        return [
            "csrf_token": csrfToken, "idempotency_key": idempotencyKey, "org": DashboardPages.section(org),
            "error": DashboardPages.section(error),
            "environment": DashboardPages.section(environment),
            "environment_label": environment == "production"
                ? "PRODUCTION: this push asks a real customer for real money." : "SANDBOX: test money only.",
            "no_short_code": shortCodes.isEmpty,
            "short_codes_shown": shortCodes.count > 1,
            "short_codes": shortCodes.map {
                ["value": $0.number, "label": $0.label, "selected": $0.number == selected] as [String: Any]
            },
            "short_code_error": DashboardPages.section(errors["short_code"]),
            "fields": fieldRows(Self.fieldNames, labels: Self.labels),
        ]
    }
}
