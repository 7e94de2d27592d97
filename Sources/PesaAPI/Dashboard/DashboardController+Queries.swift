import Foundation
import HTTPTypes
import Hummingbird
import PesaCore
import PesaEngine

extension DashboardController {
    /// The balance checks the overview asks for, and the page of each.
    func addBalanceCheckRoutes(to group: RouterGroup<PesaRequestContext>) {
        group.post("balance-checks", use: checkBalance)
        group.get("balance-checks/:id", use: balanceCheck)
    }

    /// `POST /ui/balance-checks`: a balance check of the short code the overview's button names, through the same
    /// use case as `POST /v1/balance-checks` (its role), sent once per form (its idempotency key). Success: 303
    /// to the check's page; a refusal (no initiator, Daraja unreachable): a page saying why.
    @Sendable func checkBalance(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .createBalanceCheck)
        let fields = try await settingsForm(request, context: context, scope: scope)
        let shortCode = fields["short_code"].map { $0.trimmingCharacters(in: .whitespaces) }
            .flatMap { $0.isEmpty ? nil : $0 }
        do {
            let (id, _) = try await once(
                route: "POST /ui/balance-checks", key: Self.formKey(fields),
                hash: Self.valuesHash(["balance", shortCode ?? ""]), scope: scope
            ) {
                try await gateway.balanceCheck(shortCode: shortCode, in: scope.organization, by: scope.actor).id
                    .rawValue
            }
            return DashboardPages.redirect(to: scope.link("/ui/balance-checks/" + id))
        } catch {
            guard let shown = Self.formError(error) else { throw error }
            return try await settingsPage(
                scope, title: "Balance check refused", current: "/ui/", template: DashboardTemplates.queryRefused,
                values: ["message": shown.message, "back": scope.link("/ui/")], status: shown.status)
        }
    }

    /// `GET /ui/balance-checks/{id}`: a balance check and, once Daraja answered, the balances it reported (the
    /// role of `GET /v1/balance-checks/{id}`); a pending check's page refreshes itself.
    @Sendable func balanceCheck(_ request: Request, context: PesaRequestContext) async throws -> Response {
        try await queryPage(request, context: context, kind: .balance)
    }

    /// A query of `kind` of the organization (another organization's is a 404): its fields, then Daraja's result
    /// parameters once it answered; reloading itself while pending.
    func queryPage(_ request: Request, context: PesaRequestContext, kind: QueryKind) async throws -> Response {
        let scope = try await settingsScope(
            request, context: context, action: kind == .balance ? .readBalance : .createTransactionStatusQuery)
        let id = try context.parameters.requireID("id", as: QueryID.self)
        let query = try await gateway.query(id, kind: kind, in: scope.organization, by: scope.actor)
        let fields: [(String, String?)] = [
            ("Status", query.status.rawValue), ("Short code", query.shortCode), ("M-Pesa receipt", query.mpesaReceipt),
            ("Result code", query.resultCode?.rawValue), ("Result", query.resultDesc),
            ("Conversation id", query.conversationID),
            ("Sent (EAT)", DashboardFormat.kenyaTime(ms: query.createdAtMs)),
            ("Updated (EAT)", DashboardFormat.kenyaTime(ms: query.updatedAtMs)),
        ]
        let heading = (kind == .balance ? "Balance check " : "Transaction status ") + id.rawValue
        let pending = query.status == .pending
        let accounts = BalanceText.accounts(query.parameters["AccountBalance"] ?? "")
        return try await settingsPage(
            scope, title: heading, current: kind == .balance ? "/ui/" : "/ui/payments",
            template: DashboardTemplates.queryResult,
            values: [
                "heading": heading, "pending": pending,
                "fields": fields.compactMap { label, value in value.map { ["label": label, "value": $0] } },
                "result": query.parameters.sorted { $0.key < $1.key }.map { ["label": $0.key, "value": $0.value] },
                "result_shown": !query.parameters.isEmpty,
                "accounts_shown": !accounts.isEmpty,
                "accounts": accounts.map { account in
                    let amount = { (value: Amount) in
                        account.currency == "KES" ? DashboardFormat.kes(value) : "\(account.currency) \(value)"
                    }
                    return [
                        "account": account.account, "current": amount(account.current),
                        "available": amount(account.available), "reserved": amount(account.reserved),
                        "uncleared": amount(account.uncleared),
                    ]
                },
                "payment": DashboardPages.section(query.paymentID.map { scope.link("/ui/payments/" + $0.rawValue) }),
                "back": kind == .balance ? scope.link("/ui/") : scope.link("/ui/payments"),
                "back_label": kind == .balance ? "Back to the overview" : "Back to the payments",
            ], refreshSeconds: pending ? 5 : nil)
    }

    /// The overview's balance rows: each short code's accounts as last known, then the short codes that can be
    /// checked (`checkable`) with no balance known yet; the first row of a checkable short code carries its
    /// "Check balance now" form (with an idempotency key of its own).
    static func balanceRows(_ accounts: [BalanceRecord], checkable: [String]) -> [[String: Any]] {
        var rows: [[String: Any]] = []
        var seen: Set<String> = []
        let check = { (code: String) -> Any in
            guard checkable.contains(code), seen.insert(code).inserted else { return false }
            return ["short_code": code, "idempotency_key": DashboardSessions.randomToken()]
        }
        for account in accounts {
            let code = account.shortCode ?? ""
            rows.append([
                "short_code": code, "account": account.account, "available": DashboardFormat.kes(account.available),
                "as_of": DashboardFormat.kenyaTime(ms: account.asOfMs), "check": check(code),
            ])
        }
        for code in checkable where !seen.contains(code) {
            rows.append([
                "short_code": code, "account": "No balance known yet", "available": "", "as_of": "",
                "check": check(code),
            ])
        }
        return rows
    }
}
