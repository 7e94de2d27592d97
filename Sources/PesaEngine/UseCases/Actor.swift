public import PesaCore

/// Who asks, for permission checks and the audit log.
public struct Actor: Sendable {
    public let principal: Principal
    /// `usr_…`, `key_…` or `system`.
    public let id: String
    public let requestID: String

    public init(principal: Principal, id: String, requestID: String) {
        self.principal = principal
        self.id = id
        self.requestID = requestID
    }

    /// Allowed, or the error the API answers (403 for the role, 404 for another organization's object).
    public func authorize(_ action: Action, in organization: OrganizationID?) throws(EngineError) {
        switch principal.authorize(action, in: organization) {
        case .allowed: return
        case .forbidden: throw EngineError(.forbidden, "your role may not do this")
        case .notFound: throw EngineError.notFound("organization")
        }
    }

    func audit(_ action: String, target: String) -> TenantEvent {
        .auditRecorded(.init(actor: id, action: action, target: target, requestID: requestID))
    }
}
