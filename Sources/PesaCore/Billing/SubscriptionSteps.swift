extension TenantState {
    /// The automatic subscription changes due at `nowMs`, each taken once (its milestone is recorded):
    /// - the trial's end: `trialing` → `active`;
    /// - the end of a period: a scheduled downgrade takes effect, a cancellation asked for becomes `cancelled`
    ///   (both as of the period's end);
    /// - an invoice unpaid at its due date: `active` → `past_due`;
    /// - still unpaid after the grace: `active` | `past_due` → `suspended`.
    /// A status a super admin set by hand stands until the next of these steps.
    public func dueSubscriptionChanges(nowMs: Int64, settings: BillingSettings) -> [TenantEvent.SubscriptionUpdated] {
        guard let subscription, subscription.status != .cancelled else { return [] }
        var changes: [TenantEvent.SubscriptionUpdated] = []
        var status = subscription.status
        if let trialEnd = subscription.trialEndsAtMs, trialEnd <= nowMs, !subscription.hasTaken("trial_end") {
            let ended = status == .trialing
            changes.append(
                .init(
                    status: ended ? .active : nil, reason: ended ? "the trial ended" : nil, milestone: "trial_end"))
            if ended { status = .active }
        }
        let previousMonth = KenyaTime.month(before: KenyaTime.monthKey(ms: nowMs)) ?? ""
        if let ended = KenyaTime.month(previousMonth), ended.endMs > subscription.startedAtMs,
            !subscription.hasTaken("period:\(previousMonth)")
        {
            var change = TenantEvent.SubscriptionUpdated(milestone: "period:\(previousMonth)")
            change.effectiveAtMs = ended.endMs
            if let scheduled = subscription.scheduledPlan {
                change.plan = scheduled
                change.scheduledPlanCleared = true
            }
            if subscription.cancelAtPeriodEnd {
                change.status = .cancelled
                change.reason = "cancelled at the end of \(previousMonth) as asked"
                change.cancelAtPeriodEnd = false
                status = .cancelled
            }
            changes.append(change)
        }
        guard status != .cancelled else { return changes }
        for invoice in overdueInvoices(atMs: nowMs) {
            let due = invoice.dueAtMs ?? nowMs
            let number = invoice.number ?? invoice.id.rawValue
            if !subscription.hasTaken("overdue:\(invoice.id)") {
                let late = status == .active || status == .trialing
                changes.append(
                    .init(
                        status: late ? .pastDue : nil,
                        reason: late
                            ? "invoice \(number) of KES \(invoice.total) was due on \(KenyaTime.dayKey(ms: due))"
                            : nil,
                        milestone: "overdue:\(invoice.id)"))
                if late { status = .pastDue }
            }
            let graceEnd = due + settings.graceDays * 86_400_000
            if graceEnd <= nowMs, !subscription.hasTaken("suspend:\(invoice.id)") {
                let suspend = status == .active || status == .pastDue || status == .trialing
                changes.append(
                    .init(
                        status: suspend ? .suspended : nil,
                        reason: suspend
                            ? "invoice \(number) of KES \(invoice.total) is unpaid \(settings.graceDays) days after "
                                + "its due date" : nil,
                        milestone: "suspend:\(invoice.id)"))
                if suspend { status = .suspended }
            }
        }
        return changes
    }

    /// The change a payment (or void) of an invoice brings: back to `active` when the subscription is
    /// `past_due` or `suspended` and no other invoice is overdue.
    public func reactivation(afterSettling invoiceID: InvoiceID, nowMs: Int64, reason: String)
        -> TenantEvent.SubscriptionUpdated?
    {
        guard let subscription, subscription.status == .pastDue || subscription.status == .suspended,
            overdueInvoices(atMs: nowMs).allSatisfy({ $0.id == invoiceID })
        else { return nil }
        return .init(status: .active, reason: reason)
    }
}

extension TenantState {
    /// The warning answers carry while the subscription is `past_due`: the oldest unpaid invoice, when it was
    /// due and how to pay it (ASCII, one line, for an HTTP header).
    public var billingWarning: String? {
        guard subscription?.status == .pastDue else { return nil }
        let unpaid = billing.invoices.values.filter { $0.kind == .invoice && $0.status == .open }
            .sorted { ($0.dueAtMs ?? 0, $0.id) < ($1.dueAtMs ?? 0, $1.id) }
        guard let oldest = unpaid.first, let due = oldest.dueAtMs else {
            return "past_due: the subscription is past due; contact the operator"
        }
        return "past_due: invoice \(oldest.number ?? oldest.id.rawValue) of KES \(oldest.total) was due on "
            + "\(KenyaTime.dayKey(ms: due)) (Kenya time); pay it with POST /v1/invoices/\(oldest.id.rawValue)/pay "
            + "before the subscription is suspended"
    }
}
