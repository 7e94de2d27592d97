/// What Daraja posts to the C2B validation and confirmation URLs: one flat object of strings
/// (Daraja's Customer To Business (C2B) Register URL API documentation).
public struct C2BTransaction: Codable, Sendable, Hashable {
    /// `Pay Bill` or `Buy Goods` (accept any string).
    public var transactionType: String
    public var transID: String
    /// `YYYYMMDDHHmmss`, Kenyan time.
    public var transTime: String
    public var transAmount: FlexibleString
    public var businessShortCode: FlexibleString
    public var billRefNumber: String
    public var invoiceNumber: String
    /// Blank in validation, the new balance in confirmation.
    public var orgAccountBalance: String
    public var thirdPartyTransID: String
    /// Masked (`25471****678`) or hashed; never a usable phone number.
    public var msisdn: String
    public var firstName: String
    public var middleName: String
    public var lastName: String

    public init(
        transactionType: String, transID: String, transTime: String, transAmount: FlexibleString,
        businessShortCode: FlexibleString, billRefNumber: String, invoiceNumber: String, orgAccountBalance: String,
        thirdPartyTransID: String, msisdn: String, firstName: String, middleName: String, lastName: String
    ) {
        self.transactionType = transactionType
        self.transID = transID
        self.transTime = transTime
        self.transAmount = transAmount
        self.businessShortCode = businessShortCode
        self.billRefNumber = billRefNumber
        self.invoiceNumber = invoiceNumber
        self.orgAccountBalance = orgAccountBalance
        self.thirdPartyTransID = thirdPartyTransID
        self.msisdn = msisdn
        self.firstName = firstName
        self.middleName = middleName
        self.lastName = lastName
    }

    enum CodingKeys: String, CodingKey {
        case transactionType = "TransactionType"
        case transID = "TransID"
        case transTime = "TransTime"
        case transAmount = "TransAmount"
        case businessShortCode = "BusinessShortCode"
        case billRefNumber = "BillRefNumber"
        case invoiceNumber = "InvoiceNumber"
        case orgAccountBalance = "OrgAccountBalance"
        case thirdPartyTransID = "ThirdPartyTransID"
        case msisdn = "MSISDN"
        case firstName = "FirstName"
        case middleName = "MiddleName"
        case lastName = "LastName"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func text(_ key: CodingKeys) throws -> String {
            try container.decodeIfPresent(FlexibleString.self, forKey: key)?.text ?? ""
        }
        transactionType = try text(.transactionType)
        transID = try container.decode(String.self, forKey: .transID)
        transTime = try text(.transTime)
        transAmount = try container.decode(FlexibleString.self, forKey: .transAmount)
        businessShortCode = try container.decode(FlexibleString.self, forKey: .businessShortCode)
        billRefNumber = try text(.billRefNumber)
        invoiceNumber = try text(.invoiceNumber)
        orgAccountBalance = try text(.orgAccountBalance)
        thirdPartyTransID = try text(.thirdPartyTransID)
        msisdn = try text(.msisdn)
        firstName = try text(.firstName)
        middleName = try text(.middleName)
        lastName = try text(.lastName)
    }
}
