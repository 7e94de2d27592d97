/// The plan versions of the instance (its `system/` state's `plans`), for pricing a month.
public typealias PlanHistory = [String: [PlanVersion]]

extension PlanHistory {
    /// The version of `name` in force at `ms` (its first version, for a time before it was saved).
    func version(_ name: String, atMs ms: Int64) -> Plan? {
        guard let versions = self[name] else { return nil }
        return versions.last { $0.savedAtMs <= ms }?.plan ?? versions.first?.plan
    }
}

extension TenantState {
    /// What the organization owes for `month` (`YYYY-MM`, Kenya time), counted from its journal up to now: the
    /// plan fee of each plan it was on, prorated to the day, and the API calls and transactions (STK pushes and
    /// payouts started) beyond what the plan in force at the month's end includes, at the prices of the versions
    /// in force when the month began. Nil when nothing is owed for it: the month was all trial, or before the
    /// organization or after its cancellation, and nothing was used beyond the plan.
    ///
    /// Days of a trial are free and transactions started in them are not counted; API calls are counted by month,
    /// so the month a trial ends in counts all of its calls against the plan's whole allowance.
    public func invoiceLines(month: String, plans history: PlanHistory)
        -> (lines: [InvoiceLine], plan: Plan, periodStartMs: Int64, periodEndMs: Int64)?
    {
        guard let subscription, let range = KenyaTime.month(month) else { return nil }
        let billableStart = max(range.startMs, subscription.trialEndsAtMs ?? subscription.startedAtMs)
        let billableEnd = min(range.endMs, subscription.cancelledAtMs.map { max($0, range.startMs) } ?? range.endMs)
        let endPlanName = subscription.plan(atMs: max(range.startMs, billableEnd - 1))
        guard let endPlan = history.version(endPlanName, atMs: range.startMs) else { return nil }
        var lines = feeLines(
            range: range, from: billableStart, to: billableEnd, subscription: subscription, history: history)
        let calls = apiCallsByMonth[month] ?? 0
        let callSeqs = billing.apiCallSeqsByMonth[month].map { ($0.from, $0.to) }
        lines.append(
            metered(
                item: "api_calls", noun: "API calls", used: calls, included: endPlan.includedCalls,
                unit: endPlan.overageFeePerCall, seqs: callSeqs))
        let transactions = billableTransactions(from: max(billableStart, range.startMs), to: range.endMs)
        lines.append(
            metered(
                item: "transactions", noun: "transactions (STK pushes and payouts)", used: transactions.count,
                included: endPlan.includedTransactions, unit: endPlan.pricePerTransaction, seqs: transactions.seqs))
        guard billableStart < billableEnd || lines.contains(where: { $0.amount > .zero }) else { return nil }
        return (lines, endPlan, range.startMs, range.endMs)
    }

    private func feeLines(
        range: (startMs: Int64, endMs: Int64), from start: Int64, to end: Int64, subscription: SubscriptionRecord,
        history: PlanHistory
    ) -> [InvoiceLine] {
        guard start < end else { return [] }
        let monthDays = KenyaTime.dayCount(of: range)
        let firstDay = KenyaTime.dayIndex(ms: start)
        let endDay = KenyaTime.dayIndex(ms: end - 1) + 1
        // The plan of each day is the one in force at its end (a change takes effect on the day it is made).
        var runs: [(plan: String, fromDay: Int64, toDay: Int64)] = []
        for day in firstDay..<endDay {
            let plan = subscription.plan(atMs: min(KenyaTime.startMs(ofDay: day + 1), end) - 1)
            if let last = runs.last, last.plan == plan, last.toDay == day {
                runs[runs.count - 1].toDay = day + 1
            } else {
                runs.append((plan, day, day + 1))
            }
        }
        return runs.compactMap { run in
            guard let plan = history.version(run.plan, atMs: range.startMs) else { return nil }
            let days = run.toDay - run.fromDay
            let amount = Invoice.roundedHalfUp(plan.monthlyFee.minorUnits * days, dividedBy: monthDays)
            let from = KenyaTime.dayKey(ms: KenyaTime.startMs(ofDay: run.fromDay))
            let to = KenyaTime.dayKey(ms: KenyaTime.startMs(ofDay: run.toDay - 1))
            return InvoiceLine(
                item: "plan_fee",
                description: "Plan \(plan.name) (KES \(plan.monthlyFee) a month), \(from) to \(to) EAT: "
                    + "\(days) of \(monthDays) days",
                quantity: days, unitAmount: plan.monthlyFee, amount: Amount(minorUnits: amount),
                seqFrom: subscription.firstSeq, seqTo: subscription.lastSeq)
        }
    }

    private func metered(
        item: String, noun: String, used: Int64, included: Int64, unit: Amount, seqs: (UInt64, UInt64)?
    ) -> InvoiceLine {
        let beyond = max(0, used - included)
        return InvoiceLine(
            item: item, description: "\(used) \(noun), \(included) included in the plan, \(beyond) beyond",
            quantity: beyond, unitAmount: unit, amount: Amount(minorUnits: beyond * unit.minorUnits), used: used,
            included: included, seqFrom: seqs?.0, seqTo: seqs?.1)
    }

    /// STK pushes and payouts started in `[from, to)`, and the journal positions of the first and last counted.
    func billableTransactions(from: Int64, to: Int64) -> (count: Int64, seqs: (UInt64, UInt64)?) {
        guard from < to else { return (0, nil) }
        var count: Int64 = 0
        var seqs: (UInt64, UInt64)?
        let table = payments
        for row in 0..<table.count {
            let type = table.type(at: row)
            guard type == .stkPush || type == .b2c else { continue }
            let createdAtMs = table.createdAtMs(at: row)
            guard createdAtMs >= from, createdAtMs < to else { continue }
            count += 1
            let seq = table.firstEventSeq(at: row)
            seqs = (min(seqs?.0 ?? seq, seq), max(seqs?.1 ?? seq, seq))
        }
        return (count, seqs)
    }
}
