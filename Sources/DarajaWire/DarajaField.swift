/// Request field names, as Daraja spells them (misspellings and alternative spellings included), for code
/// that reads requests field by field in Daraja's order (the sandbox) instead of decoding a whole type.
public enum DarajaField: String, Sendable, CaseIterable {
    case accountReference = "AccountReference"
    case amount = "Amount"
    case billRefNumber = "BillRefNumber"
    case businessShortCode = "BusinessShortCode"
    case callBackURL = "CallBackURL"
    case checkoutRequestID = "CheckoutRequestID"
    case commandID = "CommandID"
    case confirmationURL = "ConfirmationURL"
    case identifierType = "IdentifierType"
    case initiator = "Initiator"
    case initiatorName = "InitiatorName"
    case msisdnUppercase = "MSISDN"
    case msisdn = "Msisdn"
    case occasion = "Occasion"
    case occassion = "Occassion"
    case originalConversationID = "OriginalConversationID"
    case originatorConversationID = "OriginatorConversationID"
    case partyA = "PartyA"
    case partyB = "PartyB"
    case password = "Password"
    case phoneNumber = "PhoneNumber"
    case queueTimeOutURL = "QueueTimeOutURL"
    case receiverIdentifierType = "ReceiverIdentifierType"
    case receiverParty = "ReceiverParty"
    case recieverIdentifierType = "RecieverIdentifierType"
    case remarks = "Remarks"
    case responseType = "ResponseType"
    case resultURL = "ResultURL"
    case securityCredential = "SecurityCredential"
    case senderIdentifierType = "SenderIdentifierType"
    case shortCode = "ShortCode"
    case timestamp = "Timestamp"
    case transactionDesc = "TransactionDesc"
    case transactionID = "TransactionID"
    case transactionType = "TransactionType"
    case validationURL = "ValidationURL"
}

extension Dictionary where Key == String, Value == JSONValue {
    /// The first non-empty scalar among `fields` (either spelling of a misspelled key).
    public func text(_ fields: DarajaField...) -> String? {
        for field in fields {
            if let text = self[field.rawValue]?.scalarText, !text.isEmpty { return text }
        }
        return nil
    }
}
