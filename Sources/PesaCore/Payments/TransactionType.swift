/// How an STK push pays the organization: to a PayBill or to a Till (buy goods).
public enum TransactionType: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case paybill
    case buyGoods = "buy_goods"

    /// Daraja's `TransactionType` value.
    public var darajaValue: String {
        switch self {
        case .paybill: "CustomerPayBillOnline"
        case .buyGoods: "CustomerBuyGoodsOnline"
        }
    }

    public var description: String { rawValue }
}
