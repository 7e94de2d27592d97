/// A range of journal positions (inclusive).
public struct SeqRange: Sendable, Equatable, Codable {
    public var from: UInt64
    public var to: UInt64

    mutating func include(_ seq: UInt64) {
        from = min(from, seq)
        to = max(to, seq)
    }
}

/// The billing part of a state. In a tenant: its subscription, its invoices by id, and the journal positions
/// of each month's `usage.recorded` events. In `system/`: the billing settings, the invoice number sequence
/// (which invoice has which number) and the invoice payments asked for by STK push.
public struct BillingState: Sendable, Equatable, Codable {
    public internal(set) var subscription: SubscriptionRecord?
    public internal(set) var invoices: [InvoiceID: Invoice] = [:]
    public internal(set) var apiCallSeqsByMonth: [String: SeqRange] = [:]
    public internal(set) var settings: BillingSettings?
    public internal(set) var invoiceNumbers: [InvoiceID: TenantEvent.InvoiceNumbered] = [:]
    public internal(set) var lastInvoiceSequence: Int64 = 0
    public internal(set) var invoicePayments: [PaymentID: TenantEvent.InvoicePaymentStarted] = [:]

    enum CodingKeys: String, CodingKey {
        case subscription, invoices, settings
        case apiCallSeqsByMonth = "api_call_seqs_by_month"
        case invoiceNumbers = "invoice_numbers"
        case lastInvoiceSequence = "last_invoice_sequence"
        case invoicePayments = "invoice_payments"
    }

    public init() {}

    /// What a snapshot written before billing existed (format 7 and older) reads as: the subscription the
    /// organization record implies, its events' journal positions unknown (0).
    init(legacy organization: OrganizationRecord?) {
        subscription = organization.map { SubscriptionRecord(organization: $0, seq: 0) }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        subscription = try container.decodeIfPresent(SubscriptionRecord.self, forKey: .subscription)
        let invoiceList = try container.decode([Invoice].self, forKey: .invoices)
        invoices = Dictionary(invoiceList.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        apiCallSeqsByMonth = try container.decode([String: SeqRange].self, forKey: .apiCallSeqsByMonth)
        settings = try container.decodeIfPresent(BillingSettings.self, forKey: .settings)
        let numbers = try container.decode([TenantEvent.InvoiceNumbered].self, forKey: .invoiceNumbers)
        invoiceNumbers = Dictionary(numbers.map { ($0.invoiceID, $0) }, uniquingKeysWith: { $1 })
        lastInvoiceSequence = try container.decode(Int64.self, forKey: .lastInvoiceSequence)
        let payments = try container.decode([TenantEvent.InvoicePaymentStarted].self, forKey: .invoicePayments)
        invoicePayments = Dictionary(payments.map { ($0.paymentID, $0) }, uniquingKeysWith: { $1 })
    }

    /// Lists sorted by id, so that equal states give equal bytes.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(subscription, forKey: .subscription)
        try container.encode(invoices.keys.sorted().compactMap { invoices[$0] }, forKey: .invoices)
        try container.encode(apiCallSeqsByMonth, forKey: .apiCallSeqsByMonth)
        try container.encodeIfPresent(settings, forKey: .settings)
        try container.encode(invoiceNumbers.keys.sorted().compactMap { invoiceNumbers[$0] }, forKey: .invoiceNumbers)
        try container.encode(lastInvoiceSequence, forKey: .lastInvoiceSequence)
        try container.encode(
            invoicePayments.keys.sorted().compactMap { invoicePayments[$0] }, forKey: .invoicePayments)
    }
}

extension TenantState {
    public var subscription: SubscriptionRecord? { billing.subscription }

    /// The organization's invoices and credit notes, newest month first, then newest made first.
    public var invoicesNewestFirst: [Invoice] {
        billing.invoices.values.sorted { ($0.month, $0.createdAtMs, $0.id) > ($1.month, $1.createdAtMs, $1.id) }
    }

    /// The month's invoice that counts (not void, not a credit note), if there is one.
    public func currentInvoice(month: String) -> Invoice? {
        billing.invoices.values.first { $0.month == month && $0.isCurrentInvoice }
    }

    /// Open invoices whose due date has passed at `nowMs`, the oldest due first.
    public func overdueInvoices(atMs nowMs: Int64) -> [Invoice] {
        billing.invoices.values.filter { $0.status == .open && $0.kind == .invoice && ($0.dueAtMs ?? .max) <= nowMs }
            .sorted { ($0.dueAtMs ?? 0, $0.id) < ($1.dueAtMs ?? 0, $1.id) }
    }

    func validateBilling(_ event: TenantEvent) throws(PesaCoreError) {
        switch event {
        case .subscriptionUpdated(let data):
            guard subscription != nil else { throw .inconsistentEvent("no subscription to update") }
            if let reason = data.reason, reason.unicodeScalars.count > Limits.billingReasonCharactersMax {
                throw .invalidField("reason", "reason has at most \(Limits.billingReasonCharactersMax) characters")
            }
        case .invoiceSaved(let invoice):
            if let current = billing.invoices[invoice.id] {
                guard current.allowsChange(to: invoice) else {
                    throw .inconsistentEvent(
                        "invoice \(invoice.id) cannot go from \(current.status.rawValue) to \(invoice.status.rawValue)")
                }
            } else {
                guard invoice.status == .draft || invoice.kind == .creditNote else {
                    throw .inconsistentEvent("a new invoice starts as a draft")
                }
                if invoice.kind == .invoice, currentInvoice(month: invoice.month) != nil {
                    throw .inconsistentEvent("month \(invoice.month) already has an invoice")
                }
            }
            if invoice.status != .draft, invoice.number == nil || invoice.dueAtMs == nil {
                throw .inconsistentEvent("a final invoice has a number and a due date")
            }
        case .billingSettingsSaved(let settings):
            if let problem = settings.problem { throw .invalidField(problem.field, problem.message) }
        case .invoiceNumbered(let data):
            guard data.sequence == billing.lastInvoiceSequence + 1 else {
                throw .inconsistentEvent(
                    "invoice number \(data.sequence) does not follow \(billing.lastInvoiceSequence)")
            }
            guard billing.invoiceNumbers[data.invoiceID] == nil else {
                throw .inconsistentEvent("invoice \(data.invoiceID) already has a number")
            }
        case .invoicePaymentStarted(let data):
            guard billing.invoicePayments[data.paymentID] == nil else {
                throw .inconsistentEvent("payment \(data.paymentID) already pays an invoice")
            }
        default:
            preconditionFailure("not a billing event")
        }
    }

    /// The billing side of every event (called after `reduce`, with the event's journal position).
    mutating func reduceBilling(_ event: TenantEvent, seq: UInt64, atMs: Int64) {
        switch event {
        case .organizationCreated:
            if let organization { billing.subscription = SubscriptionRecord(organization: organization, seq: seq) }
        case .organizationUpdated(let data):
            guard data.plan != nil || data.subscriptionStatus != nil else { return }
            billing.subscription?.apply(
                TenantEvent.SubscriptionUpdated(status: data.subscriptionStatus, plan: data.plan), seq: seq, atMs: atMs)
        case .subscriptionUpdated(let data):
            billing.subscription?.apply(data, seq: seq, atMs: atMs)
            if let status = data.status { organization?.subscriptionStatus = status }
            if let plan = data.plan { organization?.plan = plan }
        case .usageRecorded(let data):
            billing.apiCallSeqsByMonth[data.month, default: SeqRange(from: seq, to: seq)].include(seq)
        case .invoiceSaved(let invoice):
            billing.invoices[invoice.id] = invoice
        case .billingSettingsSaved(let settings):
            billing.settings = settings
        case .invoiceNumbered(let data):
            billing.invoiceNumbers[data.invoiceID] = data
            billing.lastInvoiceSequence = data.sequence
        case .invoicePaymentStarted(let data):
            billing.invoicePayments[data.paymentID] = data
        default:
            return
        }
    }
}

extension SubscriptionRecord {
    mutating func apply(_ change: TenantEvent.SubscriptionUpdated, seq: UInt64, atMs eventMs: Int64) {
        let atMs = change.effectiveAtMs ?? eventMs
        if let status = change.status {
            if status != self.status || change.reason != nil { statusChangedAtMs = eventMs }
            self.status = status
            reason = change.reason
            if status == .cancelled { cancelledAtMs = cancelledAtMs ?? atMs } else { cancelledAtMs = nil }
            if status != .trialing, let trialEnd = trialEndsAtMs, trialEnd > atMs { trialEndsAtMs = atMs }
        }
        if let plan = change.plan, plan != self.plan { plans.append(PlanSegment(fromMs: atMs, plan: plan)) }
        if change.scheduledPlanCleared == true { scheduledPlan = nil }
        if let scheduled = change.scheduledPlan { scheduledPlan = scheduled }
        if let cancel = change.cancelAtPeriodEnd { cancelAtPeriodEnd = cancel }
        if let milestone = change.milestone, !milestones.contains(milestone) { milestones.append(milestone) }
        lastSeq = seq
    }
}
