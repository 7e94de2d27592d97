public import PesaCore

/// The fields of `PATCH /v1/admin/billing/settings`: only what is named changes.
public struct BillingSettingsChanges: Sendable {
    public var dueDays: Int64?
    public var graceDays: Int64?
    public var draftDays: Int64?
    public var vatBasisPoints: Int64?
    public var vatInclusive: Bool?
    public var invoicePrefix: String?
    public var operatorName: String?
    public var operatorAddress: String?
    public var operatorTaxPIN: String?
    public var operatorOrganizationID: OrganizationID?
    public var clearOperatorOrganization = false
    public var operatorShortCode: String?
    public var clearOperatorShortCode = false

    public init() {}

    func applied(to settings: BillingSettings) -> BillingSettings {
        var next = settings
        if let dueDays { next.dueDays = dueDays }
        if let graceDays { next.graceDays = graceDays }
        if let draftDays { next.draftDays = draftDays }
        if let vatBasisPoints { next.vatBasisPoints = vatBasisPoints }
        if let vatInclusive { next.vatInclusive = vatInclusive }
        if let invoicePrefix { next.invoicePrefix = invoicePrefix }
        if let operatorName { next.operatorName = operatorName.trimmingWhitespace() }
        if let operatorAddress { next.operatorAddress = operatorAddress.trimmingWhitespace() }
        if let operatorTaxPIN { next.operatorTaxPIN = operatorTaxPIN.trimmingWhitespace() }
        if clearOperatorOrganization { next.operatorOrganizationID = nil }
        if let operatorOrganizationID { next.operatorOrganizationID = operatorOrganizationID }
        if clearOperatorShortCode { next.operatorShortCode = nil }
        if let operatorShortCode { next.operatorShortCode = operatorShortCode }
        return next
    }
}

extension Gateway {
    /// The instance's billing settings (defaults until a super admin saves some).
    public func billingSettings(by actor: Actor) async throws(EngineError) -> BillingSettings {
        try actor.authorize(.manageBilling, in: nil)
        return try await currentBillingSettings()
    }

    func currentBillingSettings() async throws(EngineError) -> BillingSettings {
        try await system.read { state in state.billing.settings ?? BillingSettings() }
    }

    /// Saves the settings with `changes` applied; the operator organization must exist. Audited.
    public func updateBillingSettings(_ changes: BillingSettingsChanges, by actor: Actor) async throws(EngineError)
        -> BillingSettings
    {
        try actor.authorize(.manageBilling, in: nil)
        if let operatorOrganization = changes.operatorOrganizationID {
            guard registry.listings.contains(where: { $0.id == operatorOrganization.rawValue }) else {
                throw EngineError.invalid("operator_organization_id", "operator_organization_id names no organization")
            }
        }
        let proposed = changes.applied(to: try await currentBillingSettings())
        if let operatorOrganization = proposed.operatorOrganizationID, proposed.operatorShortCode != nil {
            // The operator's short code must be one of its collecting profiles (checked again at each payment).
            let engine = try await engine(operatorOrganization)
            _ = try await engine.read { (state) throws(EngineError) in
                try Self.shortCodeRecord(
                    in: state, named: proposed.operatorShortCode, use: .stkPush, field: "operator_short_code")
            }
        }
        return try await system.execute { (state, _) throws(EngineError) in
            let next = changes.applied(to: state.billing.settings ?? BillingSettings())
            if let problem = next.problem { throw EngineError.invalid(problem.field, problem.message) }
            return Decision(
                events: [.billingSettingsSaved(next), actor.audit("billing.settings.update", target: "billing")],
                value: next)
        }
    }
}

extension Gateway {
    /// What a printable invoice shows of the operator (name, address, KRA PIN): printed on every invoice, so
    /// not a secret; read for any invoice its reader may see.
    public func invoicePrintSettings() async throws(EngineError) -> BillingSettings {
        try await currentBillingSettings()
    }
}
