public import Hummingbird
public import PesaCore

/// Adds `Pesa-Billing-Warning` to every answer an organization's caller gets while its subscription is past due
/// (which invoice, since when, what follows), errors included. Anonymous requests, Daraja's callbacks and a
/// super admin's requests carry none.
public struct BillingWarningMiddleware: RouterMiddleware {
    public typealias Context = PesaRequestContext

    let warning: @Sendable (OrganizationID) async -> String?

    public init(warning: @escaping @Sendable (OrganizationID) async -> String?) {
        self.warning = warning
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let organization = context.identity?.organizationID, let text = await warning(organization) else {
            return try await next(request, context)
        }
        do {
            var response = try await next(request, context)
            response.headers[.billingWarning] = text
            return response
        } catch {
            var apiError = ErrorMapping.apiError(for: error)
            apiError.headers[.billingWarning] = text
            throw apiError
        }
    }
}
