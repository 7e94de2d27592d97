import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Around every `/ui` route: errors become pages (a missing or expired session a 303 to the login form, which
/// then sends the browser back; a form without its CSRF token a 403 saying why; anything else the API's status
/// with its message), and every answer carries the security headers: a strict Content-Security-Policy (the
/// pages load nothing but their own stylesheet and run no script; a route may set a stricter or as strict one of
/// its own, as the printable invoice does for its inline styles), no framing, no referrer, no sniffing, and
/// `Cache-Control: no-store` unless the route chose its own (the stylesheet).
struct DashboardMiddleware: RouterMiddleware {
    typealias Context = PesaRequestContext

    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; "
        + "base-uri 'none'"

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = Self.page(for: error, request: request, context: context)
        }
        return Self.secured(response)
    }

    /// `response` with the dashboard's security headers.
    static func secured(_ response: Response) -> Response {
        var response = response
        if response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        }
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.referrerPolicy] = "no-referrer"
        response.headers[.xContentTypeOptions] = "nosniff"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }

    static func page(for error: any Error, request: Request, context: Context) -> Response {
        switch error {
        case DashboardError.signIn(let expired):
            return loginRedirect(request, expired: expired)
        case DashboardError.csrf:
            return DashboardPages.problem(
                status: .forbidden, heading: "Form refused",
                message: "This form was not sent from a page of your current login (its security token is missing, "
                    + "wrong or from an earlier login). Go back, reload the page and send it again.")
        default:
            let apiError = ErrorMapping.apiError(for: error)
            if apiError.status == .unauthorized { return loginRedirect(request, expired: false) }
            if apiError.status.code >= 500 {
                context.logger.error(
                    "dashboard page failed",
                    metadata: ["error": .string(ErrorMapping.loggableDescription(of: error) ?? "\(apiError.code)")])
            }
            let heading = apiError.status == .notFound ? "Not found" : apiError.status.reasonPhrase
            return DashboardPages.problem(status: apiError.status, heading: heading, message: apiError.message)
        }
    }

    /// 303 to the login form, with the page to come back to when it is a page (a GET).
    static func loginRedirect(_ request: Request, expired: Bool) -> Response {
        var query: [String] = []
        if request.method == .get, let path = DashboardPaths.localTarget(request.uri.path), path != "/ui/login" {
            let target = request.uri.query.map { path + "?" + $0 } ?? path
            if let local = DashboardPaths.localTarget(target),
                let encoded = local.addingPercentEncoding(withAllowedCharacters: .alphanumerics)
            {
                query.append("next=" + encoded)
            }
        }
        if expired { query.append("expired=1") }
        return DashboardPages.redirect(to: query.isEmpty ? "/ui/login" : "/ui/login?" + query.joined(separator: "&"))
    }
}
