public import Hummingbird
public import PesaCore

/// Counts each request an organization's caller (a user or an API key of it) makes, for usage and billing.
/// Installed after the rate limit, so a request it refused (429) is not counted; anonymous requests, Daraja's
/// callbacks, a super admin's requests and the dashboard's pages (`/ui/`) are not an organization's calls.
public struct APICallCountMiddleware: RouterMiddleware {
    public typealias Context = PesaRequestContext

    let count: @Sendable (OrganizationID) -> Void

    public init(count: @escaping @Sendable (OrganizationID) -> Void) {
        self.count = count
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let organization = context.identity?.organizationID, !DashboardPaths.isDashboard(request.uri.path) {
            count(organization)
        }
        return try await next(request, context)
    }
}
