import DarajaWire
import Foundation
import Hummingbird

/// The fields every initiator API shares, read in Daraja's order: initiator, credential, command,
/// then (after the API's own fields) remarks and the two URLs.
struct InitiatorRequest {
    let body: [String: JSONValue]
    let initiator: String
    let commandID: String
    /// Whether the `SecurityCredential` decrypts to the initiator's password; if not, the result is 2001.
    let credentialAccepted: Bool

    init(
        _ body: [String: JSONValue], initiatorKey: DarajaField, commands: Set<String>, services: SandboxServices
    ) throws(SandboxHTTPError) {
        self.body = body
        guard let initiator = body.text(initiatorKey) else { throw .invalid(initiatorKey) }
        guard let credential = body.text(.securityCredential), CredentialVerifier.isWellFormed(credential) else {
            throw .invalid(.securityCredential)
        }
        guard let commandID = body.text(.commandID), commands.contains(commandID) else { throw .invalid(.commandID) }
        self.initiator = initiator
        self.commandID = commandID
        self.credentialAccepted = services.verifier.accepts(credential, initiator: initiator)
    }

    /// Remarks (optional where Daraja is lenient), then QueueTimeOutURL and ResultURL.
    func urls(remarksRequired: Bool) throws(SandboxHTTPError) -> (queueTimeOutURL: String, resultURL: String) {
        let remarks = body.text(.remarks)
        if remarksRequired || remarks != nil {
            guard FieldRules.isText(remarks, length: 1...100) else { throw .invalid(.remarks) }
        }
        guard let queueURL = body.text(.queueTimeOutURL), FieldRules.isCallbackURL(queueURL) else {
            throw .invalid(.queueTimeOutURL)
        }
        guard let resultURL = body.text(.resultURL), FieldRules.isCallbackURL(resultURL) else {
            throw .invalid(.resultURL)
        }
        return (queueURL, resultURL)
    }

    /// The `Occasion`/`Occassion` value, either spelling.
    var occasion: String? { body.text(.occassion, .occasion) }
}
