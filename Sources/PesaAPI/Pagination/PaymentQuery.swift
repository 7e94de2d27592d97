import Hummingbird
import PesaCore
import PesaEngine

/// The filters of `GET /v1/transactions`, which the reports take too: `from`/`to` (RFC 3339, `from` inclusive,
/// `to` exclusive), `status`, `type` and `short_code` (a profile of the organization: its number, till number or
/// `sc_` id). Each unreadable value is a 422 naming its parameter.
extension PaymentFilter {
    init(request: Request, organization: OrganizationID, gateway: Gateway) async throws {
        let range = try TimeRange(request: request)
        self.init(fromMs: range.fromMs, toMs: range.toMs)
        let query = request.uri.queryParameters
        if let status = query.get("status") {
            guard let parsed = PaymentStatus(rawValue: status) else {
                throw APIError.invalidField("status", "status must be one of \(PaymentStatus.allCases.map(\.rawValue))")
            }
            self.status = parsed
        }
        if let type = query.get("type") {
            guard let parsed = PaymentType(rawValue: type) else {
                throw APIError.invalidField("type", "type must be one of \(PaymentType.allCases.map(\.rawValue))")
            }
            self.type = parsed
        }
        if let name = query.get("short_code") {
            shortCodeID = try await gateway.shortCodeFilter(name, in: organization)
        }
    }

    /// The query parameters above, for route specs.
    static let querySchema: [String: JSONValue] = [
        "status": JSONSchema.string, "type": JSONSchema.string, "from": JSONSchema.dateTime,
        "to": JSONSchema.dateTime, "org": JSONSchema.string, "short_code": JSONSchema.string,
    ]
}
