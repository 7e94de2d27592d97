import Foundation
import HTTPTypes
import Hummingbird
import PesaCore
import PesaEngine

extension DashboardController {
    static let paymentPageCount = 25
    /// How many earlier pages a list remembers for its "Previous page" link.
    static let paymentTrailCountMax = 40

    /// `GET /ui/payments`: the organization's payments, newest first, with the filters of `GET /v1/transactions`
    /// (`status`, `type`, `short_code`, `phone`, `receipt`, read by the API's own parsing) and `from`/`to` as Kenya
    /// dates (`to` inclusive). A value that cannot be read is shown next to its filter and the list is left out.
    @Sendable func payments(_ request: Request, context: PesaRequestContext) async throws -> Response {
        try await paymentList(request, context: context, type: nil)
    }

    /// `GET /ui/payouts`: the organization's payouts (B2C), the payment list with its type fixed to `b2c`, and a
    /// link to the payout form for the roles that may pay out.
    @Sendable func payouts(_ request: Request, context: PesaRequestContext) async throws -> Response {
        try await paymentList(request, context: context, type: .b2c)
    }

    /// The payment list, of every type or of `type` only (the role of `GET /v1/transactions` either way).
    func paymentList(_ request: Request, context: PesaRequestContext, type: PaymentType?) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .listTransactions)
        let (page, organization) = (scope.page, scope.organization)
        let engine = try await gateway.engine(organization)
        let query = request.uri.queryParameters
        let typed = { (name: String) in query.get(name).flatMap { $0.isEmpty ? nil : $0 } }
        var values = PaymentListView(
            query: { name in name == "type" && type != nil ? type?.rawValue : typed(name) }, org: scope.org,
            fixedType: type)
        let shortCodes = try await engine.read { state in state.activeShortCodes.map(\.shortCode) }
        let allowed = { (action: Action) in page.identity.principal.authorize(action, in: organization) == .allowed }
        if type == .b2c {
            if allowed(.createPayout) { values.newLink = (scope.link("/ui/payouts/new"), "New payout") }
        } else {
            if allowed(.createSTKPush) { values.newLink = (scope.link("/ui/payments/new"), "Send an STK push") }
            values.tools = try await paymentTools(scope, engine: engine)
        }
        do {
            let range = try values.timeRange()
            let filter = try await PaymentFilter(
                range: range, query: values.query, organization: organization, gateway: gateway)
            let cursor = try values.query("cursor").map { text throws -> PaymentID in
                guard let id = try? PaymentID(parsing: PageCursor(token: text).position) else {
                    throw APIError.invalidField(
                        "cursor", "this page link is not one of ours; start from the first page")
                }
                return id
            }
            let listed = try await engine.read { state -> (payments: [Payment], nextCursor: PaymentID?)? in
                if let cursor, state.payments.row(for: cursor) == nil { return nil }
                return state.payments.list(filter, after: cursor, limit: Self.paymentPageCount)
            }
            guard let listed else {
                throw APIError.invalidField("cursor", "this page link names no payment of this organization")
            }
            values.rows = listed.payments
            values.nextCursor = listed.nextCursor.map { PageCursor(position: $0.rawValue).token }
        } catch let error as APIError {
            values.fail(param: error.param, message: error.message)
        } catch let error as EngineError where error.code == .invalidField {
            values.fail(param: error.param, message: error.message)
        }
        let status: HTTPResponse.Status = values.failed ? .unprocessableContent : .ok
        return DashboardPages.page(
            title: type == .b2c ? "Payouts" : "Payments",
            layout: DashboardLayout(
                organizationName: engine.accessView.organization?.name, page: page, currentPath: values.path),
            template: DashboardTemplates.paymentList, context: values.context(shortCodes: shortCodes),
            status: status)
    }

    /// `GET /ui/payments/{id}`: every field the API shows of one payment of the organization (another
    /// organization's is a 404) and its timeline, a callback's raw body as text; a pending payment's page
    /// refreshes itself. A payment a reversal may take gets the reversal form (org_admin, as
    /// `POST /v1/reversals`), one Daraja can be asked about the button of `POST /v1/transaction-status`.
    @Sendable func payment(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let page = try await signedIn(request, context: context)
        let id = try context.parameters.requireID("id", as: PaymentID.self)
        let organization = try context.targetOrganization(request)
        var form = ReversalFormView()
        form.org = page.identity.principal.organizationID == nil ? organization.rawValue : nil
        return try await paymentPage(id, page: page, organization: organization, reversal: form, context: context)
    }

    /// A payment's page, its reversal form as typed (`reversal`, prefilled when nothing was typed).
    func paymentPage(
        _ id: PaymentID, page: DashboardPage, organization: OrganizationID, reversal: ReversalFormView,
        context: PesaRequestContext, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let (payment, timeline) = try await gateway.paymentWithTimeline(
            id, in: organization, by: page.identity.actor(requestID: context.requestID))
        let name = try await gateway.engine(organization).accessView.organization?.name
        let reconciliation = gateway.payments.reconciliation(of: payment)
        let events: [[String: Any]] = timeline.map { entry in
            [
                "label": Self.eventLabel(entry.type), "type": entry.type, "seq": String(entry.seq),
                "at": DashboardFormat.kenyaTime(ms: entry.atMs) + " EAT",
                "detail": DashboardPages.section(entry.detail), "body": DashboardPages.section(entry.body),
            ]
        }
        let allowed = { (action: Action) in page.identity.principal.authorize(action, in: organization) == .allowed }
        var reversal = reversal
        reversal.csrfToken = page.session.csrfToken
        if reversal.idempotencyKey.isEmpty { reversal.idempotencyKey = DashboardSessions.randomToken() }
        if allowed(.createReversal),
            let most = try await gateway.reversibleAmount(
                of: id, in: organization, by: page.identity.actor(requestID: context.requestID))
        {
            reversal.most = most
        }
        var layout = DashboardLayout(organizationName: name, page: page, currentPath: "/ui/payments")
        if payment.status == .pending { layout.refreshSeconds = 5 }
        let org = reversal.org
        return DashboardPages.page(
            title: "Payment \(payment.id.rawValue)", layout: layout,
            template: DashboardTemplates.paymentDetail,
            context: [
                "id": payment.id.rawValue, "pending": payment.status == .pending,
                "fields": Self.fields(of: payment, reconciliation: reconciliation).map {
                    ["label": $0.0, "value": $0.1]
                },
                "events": events, "events_empty": events.isEmpty, "org": DashboardPages.section(org),
                "reversal": reversal.shown ? reversal.context : false,
                "status_query": allowed(.createTransactionStatusQuery) && Gateway.statusCanBeAsked(about: payment)
                    ? [
                        "csrf_token": page.session.csrfToken, "idempotency_key": DashboardSessions.randomToken(),
                    ] : false,
            ],
            status: status)
    }

    /// The fields `GET /v1/payments/{id}` shows, those that apply, in words.
    static func fields(of payment: Payment, reconciliation: ReconciliationView?) -> [(String, String)] {
        let isInitiated = payment.type == .b2c || payment.type == .reversal
        var fields: [(String, String?)] = [
            ("Status", payment.status.rawValue), ("Type", payment.type.rawValue),
            ("Amount", DashboardFormat.kes(payment.amount)), ("Phone", payment.phone),
            ("Account reference", payment.accountReference),
            (isInitiated ? "Remarks" : "Description", payment.description),
            ("Command", payment.command?.rawValue),
            ("M-Pesa receipt", payment.mpesaReceipt),
            ("Receipt pending", payment.type == .stkPush && payment.receiptPending ? "yes" : nil),
            ("Amount reversed", payment.amountReversed.map { DashboardFormat.kes($0) }),
            ("Result code", payment.resultCode?.rawValue), ("Result", payment.resultDesc),
            ("Short code", payment.shortCode), ("Short code id", payment.shortCodeID?.rawValue),
            ("Checkout request id", payment.checkoutRequestID), ("Merchant request id", payment.merchantRequestID),
            ("Conversation id", payment.conversationID),
            ("Originator conversation id", payment.originatorConversationID),
            ("Original payment", payment.originalPaymentID), ("Reversed receipt", payment.reversedReceipt),
            ("Batch", payment.batchID),
            ("Created (EAT)", DashboardFormat.kenyaTime(ms: payment.createdAtMs)),
            ("Updated (EAT)", DashboardFormat.kenyaTime(ms: payment.updatedAtMs)),
        ]
        if let reconciliation {
            fields.append(("Reconciliation attempts", String(reconciliation.attempts)))
            fields.append(("Reconciliation", reconciliation.reason))
            fields.append(
                ("Next reconciliation (EAT)", reconciliation.nextAtMs.map { DashboardFormat.kenyaTime(ms: $0) }))
        }
        return fields.compactMap { label, value in value.map { (label, $0) } }
    }

    static func eventLabel(_ type: String) -> String {
        switch type {
        case "payment.stk_requested": "STK push requested"
        case "payment.b2c_requested": "Payout requested"
        case "payment.reversal_requested": "Reversal requested"
        case "payment.c2b_received": "Customer payment received"
        case "payment.accepted": "Accepted by M-Pesa"
        case "payment.upstream_failed": "Refused by M-Pesa"
        case "callback.received": "Callback received"
        case "payment.settled": "Settled"
        case "payment.reconcile_attempted": "Reconciliation attempt"
        case "query.sent": "Status query sent"
        default: type
        }
    }
}
