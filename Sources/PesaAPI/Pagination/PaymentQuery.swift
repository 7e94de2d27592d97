import Foundation
import Hummingbird
import PesaCore
import PesaEngine

/// The filters of `GET /v1/transactions`, which the reports take too: `from`/`to` (RFC 3339, `from` inclusive,
/// `to` exclusive), `status`, `type`, `short_code` (a profile of the organization: its number, till number or
/// `sc_` id), `phone` (any form an STK push takes, compared as its 12 digits) and `receipt` (an M-Pesa receipt
/// number, exact, in any case). Each unreadable value is a 422 naming its parameter.
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
        if let text = query("phone") {
            do {
                phone = try MSISDN(text).digits
            } catch {
                throw APIError.invalidField("phone", error.message)
            }
        }
        if let text = query("receipt") {
            receipt = try Self.receipt(text)
        }
    }

    /// An M-Pesa receipt number as a filter takes it: 1 to 32 ASCII letters and digits, in any case.
    static func receipt(_ text: String) throws(APIError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let isReceipt =
            (1...Self.receiptLengthMax).contains(trimmed.utf8.count)
            && trimmed.utf8.allSatisfy { byte in
                (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
            }
        guard isReceipt else {
            throw APIError.invalidField(
                "receipt", "receipt must be an M-Pesa receipt number: letters and digits, such as QKJ4ABCD12")
        }
        return trimmed.uppercased()
    }

    static let receiptLengthMax = 32

    /// The query parameters above, for route specs.
    static let querySchema: [String: JSONValue] = [
        "status": JSONSchema.string, "type": JSONSchema.string, "from": JSONSchema.dateTime,
        "to": JSONSchema.dateTime, "org": JSONSchema.string, "short_code": JSONSchema.string,
        "phone": JSONSchema.string, "receipt": JSONSchema.string,
    ]
}
