/// Daraja's dotted `errorCode` values (Daraja's API documentation, error responses). Match on the code, never on
/// the message.
public enum DarajaErrorCode {
    public static let invalidField = "400.002.02"
    public static let invalidPayload = "400.002.05"
    public static let invalidAuthentication = "400.008.01"
    public static let invalidGrantType = "400.008.02"
    public static let invalidTokenInitiatorAPIs = "401.002.01"
    public static let noAPIProductMatch = "401.003.01"
    public static let resourceNotFound = "404.001.01"
    public static let invalidTokenSTK = "404.001.03"
    public static let methodNotAllowed = "405.001"
    /// Wrong credentials, merchant does not exist, unable to lock subscriber, being processed.
    public static let merchantValidation = "500.001.1001"
    public static let duplicateOriginatorConversationID = "500.002.1001"
    public static let spikeArrest = "500.003.02"
    public static let quotaViolation = "500.003.03"
    public static let internalServerError = "500.003.1001"

    /// Token errors after which a client refreshes its token and retries once.
    /// `401.003.01` (no API product match) is a configuration error and is not one of them.
    public static let invalidToken: Set<String> = [invalidTokenSTK, invalidTokenInitiatorAPIs]

    /// The `errorMessage` of the STK query while the customer has not answered yet.
    public static let beingProcessedMessage = "The transaction is being processed"
}
