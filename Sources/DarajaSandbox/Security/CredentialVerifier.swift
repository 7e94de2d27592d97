import Foundation
import Synchronization
import _CryptoExtras

/// Decrypts `SecurityCredential`s (RSA PKCS#1 v1.5) with the sandbox key and remembers the answers,
/// so a client that reuses its credential costs one RSA decryption, not one per request.
final class CredentialVerifier: Sendable {
    private let privateKeyDER: Data
    private let initiatorPasswords: [String: String]
    private let cache: Mutex<BoundedDictionary<String, String>>

    init(privateKeyPEM: String, initiatorPasswords: [String: String], cacheCountMax: Int = 10_000) throws(SandboxError)
    {
        do {
            privateKeyDER = try _RSA.Encryption.PrivateKey(unsafePEMRepresentation: privateKeyPEM).derRepresentation
        } catch {
            throw .invalidKey("the sandbox private key PEM is not an RSA key: \(error)")
        }
        self.initiatorPasswords = initiatorPasswords
        self.cache = Mutex(BoundedDictionary(countMax: cacheCountMax))
    }

    /// Whether `credential` is well-formed base64 (else Daraja answers `Invalid SecurityCredential` at once).
    static func isWellFormed(_ credential: String) -> Bool {
        !credential.isEmpty && Data(base64Encoded: credential) != nil
    }

    /// Whether `credential` decrypts to `initiator`'s password.
    func accepts(_ credential: String, initiator: String) -> Bool {
        guard let expected = initiatorPasswords[initiator] else { return false }
        if let known = cache.withLock({ $0[credential] }) { return known == expected }
        guard let decrypted = decrypt(credential) else {
            cache.withLock { $0[credential] = "" }
            return false
        }
        cache.withLock { $0[credential] = decrypted }
        return decrypted == expected
    }

    private func decrypt(_ credential: String) -> String? {
        guard let cipher = Data(base64Encoded: credential),
            let key = try? _RSA.Encryption.PrivateKey(unsafeDERRepresentation: privateKeyDER),
            let plain = try? key.decrypt(cipher, padding: ._WEAK_AND_INSECURE_PKCS_V1_5)
        else { return nil }
        return String(data: plain, encoding: .utf8)
    }
}

extension DarajaSandbox {
    /// A ready-made `SecurityCredential` for `password`, encrypted with this sandbox's certificate, like the
    /// "test credentials" page of Safaricom's portal.
    public func securityCredential(for password: String) throws(SandboxError) -> String {
        do {
            let key = try _RSA.Encryption.PrivateKey(
                unsafePEMRepresentation: configuration.privateKeyPEM ?? SandboxKeys.privateKeyPEM
            ).publicKey
            return try key.encrypt(Data(password.utf8), padding: ._WEAK_AND_INSECURE_PKCS_V1_5).base64EncodedString()
        } catch {
            throw .invalidKey("cannot encrypt with the sandbox key: \(error)")
        }
    }
}
