import Crypto
import Foundation
import PesaCore
import Testing

@testable import PesaStore

/// A vault opened by data-layout.md's recipe alone, as a reader in another language would: the master key's
/// raw bytes into HKDF-SHA256 with the salt and info as UTF-8 bytes, the envelope's standard padded base64,
/// the tenant id as associated data, and the key id over the label and the raw key.
@Suite struct VaultFormatTests {
    @Test func aVaultOpensByTheDocumentedRecipe() throws {
        let raw = (0..<32).map { UInt8($0 * 7 + 3) }
        let key = try MasterKey(bytes: raw)
        let sealed = CredentialVault(masterKey: key).seal(Array("secret plaintext".utf8), tenantID: "org_reader")
        #expect(sealed.last == 0x0a)
        #expect(sealed.dropLast().allSatisfy { $0 != 0x0a && $0 != 0x20 })
        let parsed = try JSONSerialization.jsonObject(with: Data(sealed.dropLast()))
        let envelope = try #require(parsed as? [String: Any])
        #expect(envelope["alg"] as? String == "AES-256-GCM")
        #expect(envelope["kdf"] as? String == "HKDF-SHA256")
        #expect(envelope["v"] as? Int == 1)
        let texts = ["nonce", "ciphertext", "tag"].map { envelope[$0] as? String ?? "" }
        let nonce = try #require(Data(base64Encoded: texts[0]))
        let ciphertext = try #require(Data(base64Encoded: texts[1]))
        let tag = try #require(Data(base64Encoded: texts[2]))
        #expect(nonce.count == 12)
        #expect(tag.count == 16)
        for text in texts {
            #expect(!text.isEmpty && text.count % 4 == 0 && !text.contains("-") && !text.contains("_"), "\(text)")
        }

        var hasher = SHA256()
        hasher.update(data: Array("pesa-gateway/master-key-id/v1".utf8))
        hasher.update(data: raw)
        let keyID = hasher.finalize().map { String(format: "%02x", $0) }.joined().prefix(16)
        #expect(envelope["key_id"] as? String == String(keyID))
        #expect(key.id == String(keyID))

        let derived = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: raw), salt: Array("pesa-gateway/tenant-vault/v1".utf8),
            info: Array("org_reader".utf8), outputByteCount: 32)
        let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: nonce), ciphertext: ciphertext, tag: tag)
        let opened = try AES.GCM.open(box, using: derived, authenticating: Array("org_reader".utf8))
        #expect(Array(opened) == Array("secret plaintext".utf8))
        #expect(MasterKey.generate().base64.count == 44)
    }

    /// tenant.json as Foundation pretty-prints it: two-space indent, `"key" : value`, sorted keys, `\n` at the end.
    @Test func theManifestIsPrettyPrintedWithSortedKeys() {
        let manifest = TenantManifest(id: "org_x", slug: "acme", name: "A/b", createdAtMs: 5)
        let text = String(decoding: manifest.encoded(), as: UTF8.self)
        #expect(text == """
            {
              "created_at_ms" : 5,
              "format_version" : 1,
              "id" : "org_x",
              "name" : "A/b",
              "slug" : "acme"
            }

            """)
    }
}
