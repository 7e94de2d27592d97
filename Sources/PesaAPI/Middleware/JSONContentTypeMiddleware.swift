public import Hummingbird
import HTTPTypes
import Foundation

/// A body on POST, PUT or PATCH must be `application/json` (parameters such as `charset` allowed): 415
/// otherwise. Paths under `exemptPathPrefixes` (the dashboard's forms) are not checked.
public struct JSONContentTypeMiddleware: RouterMiddleware {
    public typealias Context = PesaRequestContext

    let exemptPathPrefixes: [String]

    public init(exemptPathPrefixes: [String] = ["/ui/"]) {
        self.exemptPathPrefixes = exemptPathPrefixes
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        switch request.method {
        case .post, .put, .patch:
            let path = request.uri.path
            if request.hasBody, !exemptPathPrefixes.contains(where: { path.hasPrefix($0) }),
                !Self.isJSON(request.headers[.contentType]),
                !(Self.csvPaths.contains(path) && Self.isCSV(request.headers[.contentType]))
            {
                throw APIError.unsupportedMediaType()
            }
        default:
            break
        }
        return try await next(request, context)
    }

    /// Routes that also take a CSV upload (`text/csv`).
    static let csvPaths: Set<String> = ["/v1/payout-batches"]

    static func isCSV(_ contentType: String?) -> Bool {
        let mediaType = contentType?.split(separator: ";", maxSplits: 1).first ?? ""
        return mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "text/csv"
    }

    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        return mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
    }
}
