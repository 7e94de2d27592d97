import Crypto
import Foundation
import PesaCore

/// A tenant's encrypted secrets file, `credentials.enc` (data-layout.md, "Credentials vault"):
/// AES-256-GCM under a key derived with HKDF-SHA256 from the master key and the tenant id, with the
/// tenant id as associated data (a vault copied into another tenant's folder does not open there).
public struct CredentialVault: Sendable {
    public static let fileName = "credentials.enc"
    static let formatVersion = 1
    static let purpose = "tenant-vault"

    struct Envelope: Codable {
        let v: Int
        let alg: String
        let kdf: String
        let keyId: String
        let nonce: String
        let ciphertext: String
        let tag: String

        enum CodingKeys: String, CodingKey {
            case v, alg, kdf, nonce, ciphertext, tag
            case keyId = "key_id"
        }
    }

    let masterKey: MasterKey

    public init(masterKey: MasterKey) {
        self.masterKey = masterKey
    }

    /// Encrypts `plaintext` for `tenantID`; returns the file's bytes.
    public func seal(_ plaintext: [UInt8], tenantID: String) -> [UInt8] {
        let key = masterKey.derivedKey(purpose: Self.purpose, context: tenantID)
        guard let box = try? AES.GCM.seal(plaintext, using: key, authenticating: Array(tenantID.utf8)) else {
            preconditionFailure("AES-GCM sealing with a 256-bit key does not fail")
        }
        let envelope = Envelope(
            v: Self.formatVersion, alg: "AES-256-GCM", kdf: "HKDF-SHA256", keyId: masterKey.id,
            nonce: Data(box.nonce).base64EncodedString(), ciphertext: box.ciphertext.base64EncodedString(),
            tag: box.tag.base64EncodedString())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let bytes = try? encoder.encode(envelope) else { preconditionFailure("an envelope always encodes") }
        return Array(bytes) + [0x0a]
    }

    /// Decrypts a vault file's bytes. Wrong master key and damaged file are told apart.
    public func open(_ fileBytes: [UInt8], tenantID: String, path: String = fileName) throws(StoreError) -> [UInt8] {
        let envelope = try Self.envelope(fileBytes, path: path)
        guard envelope.keyId == masterKey.id else {
            throw StoreError(
                .wrongMasterKey,
                "\(path) was encrypted under master key \(envelope.keyId), but the configured key is \(masterKey.id)")
        }
        guard let nonceData = Data(base64Encoded: envelope.nonce), let nonce = try? AES.GCM.Nonce(data: nonceData),
            let ciphertext = Data(base64Encoded: envelope.ciphertext), let tag = Data(base64Encoded: envelope.tag),
            let box = try? AES.GCM.SealedBox(nonce: nonce, ciphertext: ciphertext, tag: tag)
        else {
            throw StoreError(.vaultDamaged, "\(path): malformed ciphertext fields")
        }
        let key = masterKey.derivedKey(purpose: Self.purpose, context: tenantID)
        guard let plaintext = try? AES.GCM.open(box, using: key, authenticating: Array(tenantID.utf8)) else {
            throw StoreError(
                .vaultDamaged, "\(path) does not authenticate for tenant \(tenantID): damaged or not its own")
        }
        return Array(plaintext)
    }

    /// The master key id a vault file was written under.
    public static func keyID(of fileBytes: [UInt8], path: String = fileName) throws(StoreError) -> String {
        try envelope(fileBytes, path: path).keyId
    }

    private static func envelope(_ fileBytes: [UInt8], path: String) throws(StoreError) -> Envelope {
        guard fileBytes.count <= Limits.credentialsBytesMax else {
            throw StoreError(.limitExceeded, "\(path) is larger than \(Limits.credentialsBytesMax) bytes")
        }
        guard let envelope = try? JSONDecoder().decode(Envelope.self, from: Data(fileBytes)) else {
            throw StoreError(.vaultDamaged, "\(path) is not a readable vault file")
        }
        guard envelope.v <= formatVersion else {
            throw StoreError.newerFormat(path, found: envelope.v, known: formatVersion)
        }
        return envelope
    }
}
