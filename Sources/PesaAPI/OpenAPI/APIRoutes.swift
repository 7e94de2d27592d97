import HTTPTypes
public import Hummingbird
import PesaCore

/// The only way to add a route: each one comes with its `RouteSpec`, which enforces the action's role
/// requirement (401/403 before the handler runs) and documents it in `GET /openapi.json`. The router itself
/// is not handed out, so a route cannot be added undocumented; adding the same method and path twice is a
/// programming error.
///
/// ```swift
/// struct OrganizationsController {
///     let engine: TenantRegistry
///     func addRoutes(to routes: APIRoutes) {
///         routes.add(Self.readSpec, use: read)
///     }
///     @Sendable func read(_ request: Request, context: PesaRequestContext) async throws -> OrganizationBody {
///         let id = try context.parameters.requireID("id", as: OrganizationID.self)
///         try context.require(.readOrganization, in: id)          // 404 for another organization
///         ...
///     }
/// }
/// ```
public final class APIRoutes {
    let router: Router<PesaRequestContext>
    let bodyLimits: RouteBodyLimits
    public private(set) var specs: [RouteSpec] = []
    private var keys: Set<String> = []

    init(router: Router<PesaRequestContext>, bodyLimits: RouteBodyLimits) {
        self.router = router
        self.bodyLimits = bodyLimits
    }

    /// Middleware for the routes added after it (an idempotency or subscription check, say). Routes added
    /// before are not affected; unknown routes are.
    public func add(middleware: any MiddlewareProtocol<Request, Response, PesaRequestContext>) {
        router.add(middleware: middleware)
    }

    public func add<Output: ResponseGenerator>(
        _ spec: RouteSpec,
        use handler: @escaping @Sendable (Request, PesaRequestContext) async throws -> Output
    ) {
        precondition(spec.path.hasPrefix("/"), "route path \(spec.path) must start with /")
        precondition(keys.insert(spec.key).inserted, "route \(spec.key) registered twice")
        if let bytesMax = spec.bodyBytesMax {
            precondition(bytesMax > 0, "route \(spec.key) body limit must be positive")
            bodyLimits.set(bytesMax, forRoute: "\(spec.method.rawValue) \(RouterPath(spec.path).description)")
        }
        let action = spec.action
        let organizationParameter = spec.organizationParameter
        router.on(RouterPath(spec.path), method: spec.method) { request, context in
            if let organizationParameter {
                try context.require(
                    action, in: try context.parameters.requireID(organizationParameter, as: OrganizationID.self))
            } else {
                try context.require(action)
            }
            return try await handler(request, context)
        }
        specs.append(spec)
    }
}
