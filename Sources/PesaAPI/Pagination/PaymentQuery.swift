import Hummingbird
import PesaCore
import PesaEngine

/// The filters of `GET /v1/transactions`, which the reports take too: `from`/`to` (RFC 3339, `from` inclusive,
/// `to` exclusive), `status`, `type` and `short_code` (a profile of the organization: its number, till number or
/// `sc_` id). Each unreadable value is a 422 naming its parameter.
extension PaymentFilter {
    init(request: Request, organization: OrganizationID, gateway: Gateway) async throws {
        let query = request.uri.queryParameters
        try await self.init(
            range: TimeRange(request: request), query: { query.get($0) }, organization: organization, gateway: gateway)
    }

    /// The same filters, `from`/`to` already read (the dashboard takes them as Kenya dates) and the others
    /// looked up by name in `query`.
    init(
        range: TimeRange, query: (String) -> String?, organization: OrganizationID, gateway: Gateway
    ) async throws {
        self.init(fromMs: range.fromMs, toMs: range.toMs)
        if let status = query("status") {
            guard let parsed = PaymentStatus(rawValue: status) else {
                throw APIError.invalidField("status", "status must be one of \(PaymentStatus.allCases.map(\.rawValue))")
            }
            self.status = parsed
        }
        if let type = query("type") {
            guard let parsed = PaymentType(rawValue: type) else {
                throw APIError.invalidField("type", "type must be one of \(PaymentType.allCases.map(\.rawValue))")
            }
            self.type = parsed
        }
        if let name = query("short_code") {
            shortCodeID = try await gateway.shortCodeFilter(name, in: organization)
        }
    }

    /// The query parameters above, for route specs.
    static let querySchema: [String: JSONValue] = [
        "status": JSONSchema.string, "type": JSONSchema.string, "from": JSONSchema.dateTime,
        "to": JSONSchema.dateTime, "org": JSONSchema.string, "short_code": JSONSchema.string,
    ]
}
