/// `Name`s of STK `CallbackMetadata` items and `Key`s of `ResultParameter`/`ReferenceItem` entries.
public enum DarajaParameterKey: String, Sendable, CaseIterable {
    case accountBalance = "AccountBalance"
    case amount = "Amount"
    case b2cChargesPaidAccountAvailableFunds = "B2CChargesPaidAccountAvailableFunds"
    case b2cRecipientIsRegisteredCustomer = "B2CRecipientIsRegisteredCustomer"
    case b2cUtilityAccountAvailableFunds = "B2CUtilityAccountAvailableFunds"
    case b2cWorkingAccountAvailableFunds = "B2CWorkingAccountAvailableFunds"
    case boCompletedTime = "BOCompletedTime"
    case balance = "Balance"
    case billReferenceNumber = "BillReferenceNumber"
    case charge = "Charge"
    case conversationID = "ConversationID"
    case creditPartyName = "CreditPartyName"
    case creditPartyPublicName = "CreditPartyPublicName"
    case currency = "Currency"
    case debitAccountBalance = "DebitAccountBalance"
    case debitAccountType = "DebitAccountType"
    case debitPartyAffectedAccountBalance = "DebitPartyAffectedAccountBalance"
    case debitPartyCharges = "DebitPartyCharges"
    case debitPartyName = "DebitPartyName"
    case debitPartyPublicName = "DebitPartyPublicName"
    case finalisedTime = "FinalisedTime"
    case initiatedTime = "InitiatedTime"
    case initiatorAccountCurrentBalance = "InitiatorAccountCurrentBalance"
    case mpesaReceiptNumber = "MpesaReceiptNumber"
    case occasion = "Occasion"
    case occassion = "Occassion"
    case originalTransactionID = "OriginalTransactionID"
    case originatorConversationID = "OriginatorConversationID"
    case phoneNumber = "PhoneNumber"
    case queueTimeoutURL = "QueueTimeoutURL"
    case reasonType = "ReasonType"
    case receiptNo = "ReceiptNo"
    case receiverPartyPublicName = "ReceiverPartyPublicName"
    case transCompletedTime = "TransCompletedTime"
    case transactionAmount = "TransactionAmount"
    case transactionCompletedDateTime = "TransactionCompletedDateTime"
    case transactionDate = "TransactionDate"
    case transactionReason = "TransactionReason"
    case transactionReceipt = "TransactionReceipt"
    case transactionStatus = "TransactionStatus"
}

extension KeyedParameter {
    /// A parameter named by one of Daraja's keys.
    public init(_ key: DarajaParameterKey, _ value: ParameterValue?) {
        self.init(key: key.rawValue, value: value)
    }
}

extension STKCallback.Item {
    /// A metadata item named by one of Daraja's names.
    public init(_ name: DarajaParameterKey, _ value: ParameterValue?) {
        self.init(name: name.rawValue, value: value)
    }
}
