public import Foundation
import _CryptoExtras

/// The RSA public key of an environment's certificate (Safaricom's `SandboxCertificate.cer` /
/// `ProductionCertificate.cer`, or the built-in sandbox's), used to make `SecurityCredential`s.
public struct DarajaCertificate: Sendable {
    /// SubjectPublicKeyInfo DER of the key (`_RSA.Encryption.PublicKey` itself is not Sendable).
    let publicKeyDER: Data
    /// The key size, 2048 for Safaricom's certificates.
    public let keySizeInBits: Int

    /// From PEM text: a `CERTIFICATE` (X.509), a `PUBLIC KEY` or an `RSA PUBLIC KEY`.
    public init(pem: String) throws(DarajaError) {
        if pem.contains("-----BEGIN CERTIFICATE-----") {
            let afterBegin = pem.components(separatedBy: "-----BEGIN CERTIFICATE-----").dropFirst().first ?? ""
            let body = (afterBegin.components(separatedBy: "-----END CERTIFICATE-----").first ?? "")
                .filter { !$0.isWhitespace }
            guard let der = Data(base64Encoded: body) else {
                throw .invalidCertificate("the certificate PEM is not base64")
            }
            try self.init(der: der)
            return
        }
        let key: _RSA.Encryption.PublicKey
        do {
            key = try _RSA.Encryption.PublicKey(unsafePEMRepresentation: pem)
        } catch {
            throw .invalidCertificate("no RSA public key in the PEM", cause: error)
        }
        self.init(key: key)
    }

    /// From DER bytes: an X.509 certificate or a SubjectPublicKeyInfo.
    public init(der: Data) throws(DarajaError) {
        let bytes = [UInt8](der)
        let keyBytes = DERReader(bytes: bytes).subjectPublicKeyInfo().map { Array($0) } ?? bytes
        let key: _RSA.Encryption.PublicKey
        do {
            key = try _RSA.Encryption.PublicKey(unsafeDERRepresentation: keyBytes)
        } catch {
            throw .invalidCertificate("no RSA public key in the certificate", cause: error)
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
