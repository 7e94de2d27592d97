public import Foundation
import SwiftASN1
import X509
import _CryptoExtras

/// The RSA public key of an environment's certificate (Safaricom's `SandboxCertificate.cer` /
/// `ProductionCertificate.cer`, or the built-in sandbox's), used to make `SecurityCredential`s.
/// swift-certificates reads the PEM and the X.509 structure; this type only picks the key.
public struct DarajaCertificate: Sendable {
    /// SubjectPublicKeyInfo DER of the key (`_RSA.Encryption.PublicKey` itself is not Sendable).
    let publicKeyDER: Data
    /// The key size, 2048 for Safaricom's certificates.
    public let keySizeInBits: Int

    /// From PEM text: a `CERTIFICATE` (X.509; in a bundle, the first certificate), a `PUBLIC KEY` or an
    /// `RSA PUBLIC KEY`.
    public init(pem: String) throws(DarajaError) {
        guard pem.contains("-----BEGIN CERTIFICATE-----") else {
            let key: _RSA.Encryption.PublicKey
            do {
                key = try _RSA.Encryption.PublicKey(unsafePEMRepresentation: pem)
            } catch {
                throw .invalidCertificate("no RSA public key in the PEM", cause: error)
            }
            self.init(key: key)
            return
        }
        let certificate: Certificate
        do {
            let documents = try PEMDocument.parseMultiple(pemString: pem)
            let first = documents.first { $0.discriminator == Certificate.defaultPEMDiscriminator }
            guard let first else { throw DarajaError.invalidCertificate("no certificate in the PEM") }
            certificate = try Certificate(pemDocument: first)
        } catch let error as DarajaError {
            throw error
        } catch {
            throw .invalidCertificate("the certificate PEM cannot be read", cause: error)
        }
        try self.init(certificate: certificate)
    }

    /// From DER bytes: an X.509 certificate or a SubjectPublicKeyInfo.
    public init(der: Data) throws(DarajaError) {
        if let certificate = try? Certificate(derEncoded: Array(der)) {
            try self.init(certificate: certificate)
            return
        }
        let key: _RSA.Encryption.PublicKey
        do {
            key = try _RSA.Encryption.PublicKey(unsafeDERRepresentation: der)
        } catch {
            throw .invalidCertificate("neither an X.509 certificate nor an RSA public key", cause: error)
        }
        self.init(key: key)
    }

    /// The subject's key of `certificate`, which must be RSA: Daraja decrypts credentials with its RSA key.
    private init(certificate: Certificate) throws(DarajaError) {
        guard let signingKey = _RSA.Signing.PublicKey(certificate.publicKey) else {
            throw .invalidCertificate("the certificate's key is not RSA (\(certificate.publicKey))")
        }
        let key: _RSA.Encryption.PublicKey
        do {
            key = try _RSA.Encryption.PublicKey(unsafeDERRepresentation: signingKey.derRepresentation)
        } catch {
            throw .invalidCertificate("the certificate's RSA key cannot encrypt", cause: error)
        }
        self.init(key: key)
    }

    private init(key: _RSA.Encryption.PublicKey) {
        self.publicKeyDER = key.derRepresentation
        self.keySizeInBits = key.keySizeInBits
    }

    /// From a `.cer`/`.pem` file, PEM or DER.
    public init(contentsOfFile path: String) throws(DarajaError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalidCertificate("cannot read the certificate file \(path)")
        }
        if let text = String(data: data, encoding: .utf8), text.contains("-----BEGIN") {
            try self.init(pem: text)
        } else {
            try self.init(der: data)
        }
    }

    /// `SecurityCredential` = base64(RSA PKCS#1 v1.5 encryption of the initiator password), as Daraja
    /// documents it for B2C and the other initiator operations. Randomised: each call gives a different,
    /// equally valid, credential.
    public func securityCredential(for password: DarajaSecret) throws(DarajaError) -> String {
        do {
            let key = try _RSA.Encryption.PublicKey(unsafeDERRepresentation: publicKeyDER)
            let cipher = try key.encrypt(Data(password.value.utf8), padding: ._WEAK_AND_INSECURE_PKCS_V1_5)
            return cipher.base64EncodedString()
        } catch {
            throw .invalidCertificate("RSA encryption failed", cause: error)
        }
    }
}
