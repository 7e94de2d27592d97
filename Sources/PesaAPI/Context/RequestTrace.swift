public import PesaCore
import Synchronization

/// Facts learnt deep in the middleware chain (the tenant, once authenticated) that the outer middlewares
/// (access log, metrics) need after the answer: the context is a value passed down, so they share this box.
public final class RequestTrace: Sendable {
    private let tenant = Mutex<OrganizationID?>(nil)

    public init() {}

    /// The organization the request ran for (nil before authentication and for super_admin).
    public var organizationID: OrganizationID? {
        get { tenant.withLock { $0 } }
        set { tenant.withLock { $0 = newValue } }
    }
}
