public import PesaCore

/// Who asks, for permission checks and the audit log.
public struct Actor: Sendable {
    public let principal: Principal
    /// `usr_…`, `key_…` or `system`.
    public let id: String
    public let requestID: String
    /// An API key's environment (`sandbox` for `pk_test_`, `production` for `pk_live_`); nil for a login.
    public let keyEnvironment: String?

    public init(principal: Principal, id: String, requestID: String, keyEnvironment: String? = nil) {
        self.principal = principal
        self.id = id
        self.requestID = requestID
        self.keyEnvironment = keyEnvironment
    }

    /// A test key reaches only sandbox credentials and a live key only production ones: refused (403) before
    /// anything is sent to Daraja. A login (dashboard, JWT) may use either.
    public func requireEnvironment(of profile: ShortCodeProfile) throws(EngineError) {
        try requireEnvironment(profile.environment, shortCode: profile.shortCode)
    }

    public func requireEnvironment(_ environment: String, shortCode: String) throws(EngineError) {
        guard let keyEnvironment, keyEnvironment != environment else { return }
        let prefix = keyEnvironment == "production" ? "pk_live_" : "pk_test_"
        throw EngineError(
            .keyEnvironmentMismatch,
            "a \(prefix) API key may not use the organization's \(environment) short code \(shortCode): use a "
                + "\(environment == "production" ? "pk_live_" : "pk_test_") key")
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
