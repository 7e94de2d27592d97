/// A B2C payout's purpose, as the API spells it, with Daraja's `CommandID` (a plain value here; DarajaWire
/// owns the wire types).
public enum B2CCommand: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case businessPayment = "business_payment"
    case salaryPayment = "salary_payment"
    case promotionPayment = "promotion_payment"

    public var darajaCommandID: String {
        switch self {
        case .businessPayment: "BusinessPayment"
        case .salaryPayment: "SalaryPayment"
        case .promotionPayment: "PromotionPayment"
        }
    }

    public init?(darajaCommandID: String) {
        guard let match = B2CCommand.allCases.first(where: { $0.darajaCommandID == darajaCommandID }) else {
            return nil
        }
        self = match
    }

    public var description: String { rawValue }
}
