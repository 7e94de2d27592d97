public import PesaCore

/// One organization's usage of a month, for the operator's view across organizations.
public struct OrganizationUsage: Sendable {
    public let organizationID: OrganizationID
    public let slug: String
    public let name: String
    public let usage: MonthUsage
}

extension Gateway {
    /// The organization's usage of `month` (`YYYY-MM`, Kenya time; nil: the current month), API calls not yet
    /// journaled included.
    public func usage(month: String?, in organization: OrganizationID, by actor: Actor) async throws(EngineError)
        -> MonthUsage
    {
        try actor.authorize(.readUsage, in: organization)
        let month = try usageMonth(month)
        return try await usage(month: month, of: organization)
    }

    /// Every organization's usage of `month`, each tenant opened if it was not (a monthly report, not a hot
    /// path).
    public func allUsage(month: String?, by actor: Actor) async throws(EngineError) -> [OrganizationUsage] {
        try actor.authorize(.readAllUsage, in: nil)
        let month = try usageMonth(month)
        var rows: [OrganizationUsage] = []
        for listing in registry.listings {
            guard let organization = try? OrganizationID(parsing: listing.id),
                let usage = try? await usage(month: month, of: organization)
            else { continue }
            rows.append(
                OrganizationUsage(organizationID: organization, slug: listing.slug, name: listing.name, usage: usage))
        }
        return rows
    }

    private func usage(month: String, of organization: OrganizationID) async throws(EngineError) -> MonthUsage {
        var usage = try await engine(organization).read { (state) throws(EngineError) in
            guard let usage = state.usage(month: month) else { throw EngineError.invalid("month", "bad month") }
            return usage
        }
        usage.apiCalls += apiCalls.pending(organization, month: month)
        return usage
    }

    /// The month a usage request names, as answered (the current Kenya month when none).
    public func usageMonthText(_ text: String?) async throws(EngineError) -> String { try usageMonth(text) }

    /// `YYYY-MM`, or the current Kenya month when nil; anything else is a 422 naming `month`.
    func usageMonth(_ text: String?) throws(EngineError) -> String {
        guard let text else { return KenyaTime.monthKey(ms: clock.nowMs()) }
        guard KenyaTime.month(text) != nil else {
            throw EngineError.invalid("month", "month must be YYYY-MM (Kenya time), e.g. 2026-12")
        }
        return text
    }
}
