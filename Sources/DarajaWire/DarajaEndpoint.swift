/// Daraja's operations and their paths (as Daraja's API documentation names them).
public enum DarajaEndpoint: String, Sendable, CaseIterable {
    case oauthToken = "/oauth/v1/generate"
    case stkPush = "/mpesa/stkpush/v1/processrequest"
    case stkQuery = "/mpesa/stkpushquery/v1/query"
    case c2bRegisterURLv1 = "/mpesa/c2b/v1/registerurl"
    case c2bRegisterURLv2 = "/mpesa/c2b/v2/registerurl"
    case c2bSimulatev1 = "/mpesa/c2b/v1/simulate"
    case c2bSimulatev2 = "/mpesa/c2b/v2/simulate"
    case b2cPaymentv1 = "/mpesa/b2c/v1/paymentrequest"
    case b2cPaymentv3 = "/mpesa/b2c/v3/paymentrequest"
    case b2bPayment = "/mpesa/b2b/v1/paymentrequest"
    case accountBalance = "/mpesa/accountbalance/v1/query"
    case transactionStatus = "/mpesa/transactionstatus/v1/query"
    case reversal = "/mpesa/reversal/v1/request"

    /// The path, e.g. `/mpesa/stkpush/v1/processrequest`.
    public var path: String { rawValue }

    /// Operations whose token errors are `404.001.03` (the STK family); the others answer `401.002.01`.
    public var isSTKFamily: Bool { self == .stkPush || self == .stkQuery }
}

/// Daraja's public base URLs.
public enum DarajaHost {
    public static let sandbox = "https://sandbox.safaricom.co.ke"
    public static let production = "https://api.safaricom.co.ke"
}
