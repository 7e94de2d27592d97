public import PesaCore
import Logging
import Synchronization

/// What billing did to one organization's invoice of a month.
public enum InvoiceAction: String, Sendable {
    case created, refreshed, finalized, unchanged
    /// Nothing is owed for the month (all trial, or before the organization existed).
    case none
}

/// One organization in a billing run.
public struct BilledOrganization: Sendable {
    public let organizationID: OrganizationID
    public let slug: String
    public let invoice: Invoice?
    public let action: InvoiceAction
}

/// A billing run's answer: each organization's invoice of the month, and whether the month was finalized.
public struct BillingRun: Sendable {
    public let month: String
    public let finalized: Bool
    public let organizations: [BilledOrganization]
}

extension Gateway {
    /// Bills `month` for every organization (super admin): the month in progress gets drafts to date; an ended
    /// month is finalized once its draft period is over, or at once with `finalizeNow`. Running a month again
    /// makes the same invoices (refreshing only drafts); a month whose invoice was voided gets a new one.
    public func runBilling(month: String, finalizeNow: Bool, by actor: Actor) async throws(EngineError)
        -> BillingRun
    {
        try actor.authorize(.manageBilling, in: nil)
        let nowMs = clock.nowMs()
        guard let range = KenyaTime.month(month) else {
            throw EngineError.invalid("month", "month must be YYYY-MM (Kenya time), e.g. 2026-12")
        }
        guard range.startMs <= nowMs else {
            throw EngineError.invalid("month", "month \(month) has not started (Kenya time)")
        }
        let settings = try await currentBillingSettings()
        let ended = range.endMs <= nowMs
        let finalize = ended && (finalizeNow || range.endMs + settings.draftDays * Self.dayMs <= nowMs)
        var billed: [BilledOrganization] = []
        for listing in registry.listings.sorted(by: { $0.slug < $1.slug }) {
            guard let organization = try? OrganizationID(parsing: listing.id) else { continue }
            let result = try await bill(organization, month: month, finalize: finalize, correcting: true)
            billed.append(
                .init(
                    organizationID: organization, slug: listing.slug, invoice: result.invoice, action: result.action))
        }
        _ = try await system.execute { (_, _) throws(EngineError) in
            Decision(
                events: [actor.audit("billing.run", target: "\(month)\(finalize ? " finalized" : " drafts")")],
                value: ())
        }
        return BillingRun(month: month, finalized: finalize, organizations: billed)
    }

    /// One organization's invoice of `month`: drafted, or refreshed while a draft; numbered and finalized when
    /// `finalize`. The automatic billing does not make a new invoice for a month whose invoice was voided (a
    /// correction is a super admin's run: `correcting`).
    func bill(_ organization: OrganizationID, month: String, finalize: Bool, correcting: Bool)
        async throws(EngineError) -> (invoice: Invoice?, action: InvoiceAction)
    {
        let settings = try await currentBillingSettings()
        let plans = try await system.read { state in state.plans }
        let engine = try await engine(organization)
        let drafted = try await engine.execute { (state, context) throws(EngineError) in
            Self.draft(
                month: month, state: state, plans: plans, settings: settings, context: context,
                correcting: correcting)
        }
        guard finalize, let draft = drafted.invoice, draft.status == .draft else { return drafted }
        let numbered = try await system.execute { (state, _) throws(EngineError) in
            if let existing = state.billing.invoiceNumbers[draft.id] { return Decision(value: existing) }
            let sequence = state.billing.lastInvoiceSequence + 1
            let numbering = TenantEvent.InvoiceNumbered(
                sequence: sequence, number: settings.invoiceNumber(sequence: sequence, month: month),
                invoiceID: draft.id, organizationID: organization)
            return Decision(events: [.invoiceNumbered(numbering)], value: numbering)
        }
        return try await engine.execute { (state, context) throws(EngineError) in
            guard let current = state.billing.invoices[draft.id] else { throw EngineError.notFound("invoice") }
            guard current.status == .draft else { return Decision(value: (current, .unchanged)) }
            var final =
                Self.computeInvoice(
                    month: month, state: state, plans: plans, settings: settings, id: current.id,
                    createdAtMs: current.createdAtMs) ?? current
            final.status = .open
            final.number = numbered.number
            final.finalizedAtMs = context.nowMs
            final.dueAtMs = context.nowMs + settings.dueDays * Self.dayMs
            var events: [TenantEvent] = [.invoiceSaved(final)]
            if final.total <= .zero {
                final.status = .paid
                final.paidAtMs = context.nowMs
                final.payment = InvoicePayment(method: "none", reference: "nothing to pay")
                events.append(.invoiceSaved(final))
            }
            return Decision(events: events, value: (final, .finalized))
        }
    }

    private static func draft(
        month: String, state: TenantState, plans: PlanHistory, settings: BillingSettings, context: CommandContext,
        correcting: Bool
    ) -> Decision<(invoice: Invoice?, action: InvoiceAction)> {
        if let current = state.currentInvoice(month: month) {
            guard current.status == .draft,
                var fresh = computeInvoice(
                    month: month, state: state, plans: plans, settings: settings, id: current.id,
                    createdAtMs: current.createdAtMs)
            else { return Decision(value: (current, .unchanged)) }
            fresh.throughSeq = current.throughSeq
            guard fresh != current else { return Decision(value: (current, .unchanged)) }
            fresh.throughSeq = state.lastSeq
            return Decision(events: [.invoiceSaved(fresh)], value: (fresh, .refreshed))
        }
        let voided = state.billing.invoices.values.contains { $0.month == month && $0.kind == .invoice }
        guard correcting || !voided,
            let fresh = computeInvoice(
                month: month, state: state, plans: plans, settings: settings, id: context.newID(),
                createdAtMs: context.nowMs)
        else { return Decision(value: (nil, .none)) }
        return Decision(events: [.invoiceSaved(fresh)], value: (fresh, .created))
    }

    static func computeInvoice(
        month: String, state: TenantState, plans: PlanHistory, settings: BillingSettings, id: InvoiceID,
        createdAtMs: Int64
    ) -> Invoice? {
        guard let organization = state.organization,
            let computed = state.invoiceLines(month: month, plans: plans)
        else { return nil }
        var invoice = Invoice(
            id: id, month: month, periodStartMs: computed.periodStartMs, periodEndMs: computed.periodEndMs,
            plan: computed.plan.name, planVersion: computed.plan.version, lines: computed.lines,
            vatBasisPoints: settings.vatBasisPoints, vatInclusive: settings.vatInclusive, throughSeq: state.lastSeq,
            createdAtMs: createdAtMs)
        invoice.organizationName = organization.name
        return invoice
    }

    /// The automatic part of billing (the billing clock, and at start-up): the subscription steps due now,
    /// drafts of the month that just ended refreshed during its draft period, and every draft past its draft
    /// period finalized. Every organization is looked at once an hour (`Limits.billingFullPassEveryMs`), the
    /// ones in memory at every tick. Failures are logged; the next tick tries again.
    public func advanceBilling() async {
        let nowMs = clock.nowMs()
        guard let settings = try? await currentBillingSettings() else { return }
        let full = lastFullBillingPassMs.withLock { last in
            if let previous = last, previous <= nowMs, nowMs - previous < Limits.billingFullPassEveryMs { return false }
            last = nowMs
            return true
        }
        let loaded = Set(registry.loadedTenantIDs)
        let previous = KenyaTime.month(before: KenyaTime.monthKey(ms: nowMs)) ?? ""
        let previousEnd = KenyaTime.month(previous)?.endMs ?? nowMs
        let finalizePrevious = previousEnd + settings.draftDays * Self.dayMs <= nowMs
        for listing in registry.listings where full || loaded.contains(listing.id) {
            guard let organization = try? OrganizationID(parsing: listing.id) else { continue }
            do {
                let engine = try await engine(organization)
                let stale = try await engine.read { state in
                    Set(
                        state.billing.invoices.values.filter { invoice in
                            invoice.status == .draft && invoice.month < previous
                        }.map(\.month))
                }
                for month in stale.sorted() {
                    _ = try await bill(organization, month: month, finalize: true, correcting: false)
                }
                _ = try await bill(organization, month: previous, finalize: finalizePrevious, correcting: false)
                try await applySubscriptionSteps(organization, settings: settings)
            } catch {
                logger.error(
                    "billing step failed", metadata: ["tenant": "\(listing.id)", "error": "\(error.message)"])
            }
        }
        await settleInvoicePayments()
    }

    /// Journals the subscription changes due now (`TenantState.dueSubscriptionChanges`).
    func applySubscriptionSteps(_ organization: OrganizationID, settings: BillingSettings) async throws(EngineError) {
        let engine = try await engine(organization)
        try await engine.execute { (state, context) throws(EngineError) in
            let changes = state.dueSubscriptionChanges(nowMs: context.nowMs, settings: settings)
            return Decision(events: changes.map(TenantEvent.subscriptionUpdated), value: ())
        }
    }
}
