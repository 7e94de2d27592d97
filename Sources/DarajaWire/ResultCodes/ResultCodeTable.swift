/// Daraja result codes and what they mean (Daraja's M-Pesa Express, C2B, B2C, Account Balance, Transaction
/// Status and Reversal API documentation). Switch on the code,
/// never on `ResultDesc`, whose wording varies.
public enum ResultCodeTable {
    /// STK push callback and STK query codes: code -> typical `ResultDesc`.
    public static let stk: [String: String] = [
        "0": "The service request is processed successfully.",
        "1": "The balance is insufficient for the transaction.",
        "2": "Declined due to limit rule.",
        "3": "Declined due to limit rule: greater than the maximum transaction amount.",
        "4": "Declined due to limit rule: would exceed daily transfer limit.",
        "8": "Declined due to limit rule: would exceed the maximum balance.",
        "17": "Rule limited.",
        "1001": "Unable to lock subscriber, a transaction is already in process for the current subscriber",
        "1019": "Transaction has expired.",
        "1025": "An error occurred while sending a push request.",
        "1032": "Request cancelled by user",
        "1037": "DS timeout user cannot be reached",
        "2001": "The initiator information is invalid.",
        "2028": "The request is not permitted according to product assignment.",
        "8006": "The security credential is locked.",
        "9999": "An error occurred while sending a push request.",
        "SFC_IC0003": "The operator does not exist.",
    ]

    /// B2C, B2B, account balance, transaction status and reversal result codes.
    public static let initiator: [String: String] = [
        "0": "The service request is processed successfully.",
        "1": "The balance is insufficient for the transaction.",
        "2": "Declined due to limit rule: less than the minimum transaction amount.",
        "3": "Declined due to limit rule: greater than the maximum transaction amount.",
        "4": "Declined due to limit rule: would exceed daily transfer limit.",
        "8": "Declined due to limit rule: would exceed the maximum balance.",
        "11": "The DebitParty is in an invalid state.",
        "15": "Duplicate detected.",
        "17": "Internal failure.",
        "18": "Initiator credential check failure.",
        "20": "Unresolved initiator.",
        "21": "The initiator is not allowed to initiate this request.",
        "25": "The format of parameter null is invalid.",
        "2001": "The initiator information is invalid.",
        "2006": "Declined due to account rule: The account status does not allow this transaction.",
        "2028": "The request is not permitted according to product assignment.",
        "2032": "The transaction receipt number does not exist.",
        "2040": "Credit party customer type (Unregistered or Registered Customer) can't be supported by the service.",
        "8006": "The security credential is locked.",
        "R000001": "The transaction has already been reversed.",
        "R000002": "The OriginalTransactionID is invalid.",
        "SFC_IC0003": "The operator does not exist.",
    ]

    /// Codes a merchant answers to a C2B validation request.
    public static let c2bValidation: [String: String] = [
        "0": "Accepted",
        "C2B00011": "Invalid MSISDN",
        "C2B00012": "Invalid Account Number",
        "C2B00013": "Invalid Amount",
        "C2B00014": "Invalid KYC Details",
        "C2B00015": "Invalid Shortcode",
        "C2B00016": "Other Error",
    ]

    /// STK codes after which the customer may simply try again (timeouts, cancellations, expiry).
    public static let stkRetryable: Set<String> = ["1032", "1037", "1019", "1025", "9999", "1001"]

    /// The meaning of an STK code, or nil when unknown.
    public static func stkMeaning(_ code: String) -> String? { stk[code] }

    /// The meaning of an initiator-API code, or nil when unknown.
    public static func initiatorMeaning(_ code: String) -> String? { initiator[code] }
}
