extension TenantEvent {
    /// `subscription.updated`: a change to the organization's subscription. Absent fields are unchanged; `plan`
    /// starts a plan at the event's time (an upgrade, or a change by a super admin); `milestone` records an
    /// automatic step so that it is taken once.
    public struct SubscriptionUpdated: Sendable, Equatable, Codable {
        public var status: SubscriptionStatus?
        public var reason: String?
        public var plan: String?
        public var scheduledPlan: String?
        public var scheduledPlanCleared: Bool?
        public var cancelAtPeriodEnd: Bool?
        public var milestone: String?
        /// When `plan` and a `cancelled` status take effect, when not at the event's time (a period's end).
        public var effectiveAtMs: Int64?

        public init(
            status: SubscriptionStatus? = nil, reason: String? = nil, plan: String? = nil,
            scheduledPlan: String? = nil, scheduledPlanCleared: Bool? = nil, cancelAtPeriodEnd: Bool? = nil,
            milestone: String? = nil
        ) {
            self.status = status
            self.reason = reason
            self.plan = plan
            self.scheduledPlan = scheduledPlan
            self.scheduledPlanCleared = scheduledPlanCleared
            self.cancelAtPeriodEnd = cancelAtPeriodEnd
            self.milestone = milestone
        }

        enum CodingKeys: String, CodingKey {
            case status, reason, plan, milestone
            case scheduledPlan = "scheduled_plan"
            case scheduledPlanCleared = "scheduled_plan_cleared"
            case cancelAtPeriodEnd = "cancel_at_period_end"
            case effectiveAtMs = "effective_at_ms"
        }
    }

    /// `invoice.numbered` (`system/` journal): the next number of the instance's gapless sequence, given to one
    /// invoice (or credit note) of one organization. Written before the invoice is finalized in its tenant's
    /// journal; a finalization interrupted by a crash takes the same number again.
    public struct InvoiceNumbered: Sendable, Equatable, Codable {
        public var sequence: Int64
        public var number: String
        public var invoiceID: InvoiceID
        public var organizationID: OrganizationID

        public init(sequence: Int64, number: String, invoiceID: InvoiceID, organizationID: OrganizationID) {
            self.sequence = sequence
            self.number = number
            self.invoiceID = invoiceID
            self.organizationID = organizationID
        }

        enum CodingKeys: String, CodingKey {
            case sequence, number
            case invoiceID = "invoice_id"
            case organizationID = "organization_id"
        }
    }

    /// `invoice.payment_started` (`system/` journal): an STK push in the operator's organization asks for an
    /// invoice's payment; its success marks the invoice paid.
    public struct InvoicePaymentStarted: Sendable, Equatable, Codable {
        public var paymentID: PaymentID
        public var invoiceID: InvoiceID
        public var organizationID: OrganizationID

        public init(paymentID: PaymentID, invoiceID: InvoiceID, organizationID: OrganizationID) {
            self.paymentID = paymentID
            self.invoiceID = invoiceID
            self.organizationID = organizationID
        }

        enum CodingKeys: String, CodingKey {
            case paymentID = "payment_id"
            case invoiceID = "invoice_id"
            case organizationID = "organization_id"
        }
    }
}
