/// A plan an organization was on from a moment: the subscription's plan history, for proration.
public struct PlanSegment: Sendable, Equatable, Codable {
    public let fromMs: Int64
    public let plan: String

    enum CodingKeys: String, CodingKey {
        case fromMs = "from_ms"
        case plan
    }
}

/// An organization's subscription as its journal makes it: status, trial, plan history, what is scheduled for
/// the period's end, and which automatic steps (trial end, an invoice past due, a grace ended) were taken, so
/// that each is taken once and a super admin's hand-set status stands until the next one.
/// Periods are calendar months in Kenya time (EAT, UTC+3); a trial is its own period.
public struct SubscriptionRecord: Sendable, Equatable, Codable {
    public internal(set) var status: SubscriptionStatus
    /// Why the status is what it is (the last change's reason).
    public internal(set) var reason: String?
    public internal(set) var statusChangedAtMs: Int64
    public internal(set) var startedAtMs: Int64
    /// When the trial ends (00:00 EAT), nil for a plan without one.
    public internal(set) var trialEndsAtMs: Int64?
    /// Plan history, oldest first; the last one is current.
    public internal(set) var plans: [PlanSegment]
    /// A downgrade that takes effect when the current period ends.
    public internal(set) var scheduledPlan: String?
    public internal(set) var cancelAtPeriodEnd: Bool
    public internal(set) var cancelledAtMs: Int64?
    /// Automatic steps already taken (`trial_end`, `period:YYYY-MM`, `overdue:<invoice>`, `suspend:<invoice>`).
    public internal(set) var milestones: [String]
    /// Journal positions of the first and last event that shaped the subscription (an invoice's fee cites them).
    public internal(set) var firstSeq: UInt64
    public internal(set) var lastSeq: UInt64

    enum CodingKeys: String, CodingKey {
        case status, reason, plans, milestones
        case statusChangedAtMs = "status_changed_at_ms"
        case startedAtMs = "started_at_ms"
        case trialEndsAtMs = "trial_ends_at_ms"
        case scheduledPlan = "scheduled_plan"
        case cancelAtPeriodEnd = "cancel_at_period_end"
        case cancelledAtMs = "cancelled_at_ms"
        case firstSeq = "first_seq"
        case lastSeq = "last_seq"
    }

    init(organization: OrganizationRecord, seq: UInt64) {
        let trialing = organization.subscriptionStatus == .trialing
        status = organization.subscriptionStatus
        reason = nil
        statusChangedAtMs = organization.createdAtMs
        startedAtMs = organization.createdAtMs
        trialEndsAtMs = trialing ? organization.currentPeriodEndMs : nil
        plans = [PlanSegment(fromMs: organization.createdAtMs, plan: organization.plan)]
        scheduledPlan = nil
        cancelAtPeriodEnd = false
        cancelledAtMs = organization.subscriptionStatus == .cancelled ? organization.createdAtMs : nil
        milestones = []
        firstSeq = seq
        lastSeq = seq
    }

    public var plan: String { plans.last?.plan ?? "" }

    public func hasTaken(_ milestone: String) -> Bool { milestones.contains(milestone) }

    /// The period `nowMs` falls in: the trial while it runs, else the Kenya calendar month.
    public func period(atMs nowMs: Int64) -> (startMs: Int64, endMs: Int64) {
        if let trialEnd = trialEndsAtMs, nowMs < trialEnd { return (startedAtMs, trialEnd) }
        let month = KenyaTime.monthKey(ms: nowMs)
        return KenyaTime.month(month) ?? (nowMs, nowMs)
    }

    /// The plan in force at `ms` (the first one before the subscription started).
    public func plan(atMs ms: Int64) -> String {
        plans.last { $0.fromMs <= ms }?.plan ?? plans.first?.plan ?? ""
    }

    /// When 00:00 EAT of the day a trial of `days` days started at `ms` ends.
    public static func trialEnd(startedAtMs ms: Int64, days: Int64) -> Int64 {
        KenyaTime.startMs(ofDay: KenyaTime.dayIndex(ms: ms) + days)
    }
}
