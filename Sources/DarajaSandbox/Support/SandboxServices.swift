import Logging

/// What every controller shares: configuration, state, the callback sender and the credential verifier.
struct SandboxServices: Sendable {
    let configuration: SandboxConfiguration
    let state: SandboxState
    let sender: CallbackSender
    let verifier: CredentialVerifier
    let certificatePEM: String
    let logger: Logger
}
