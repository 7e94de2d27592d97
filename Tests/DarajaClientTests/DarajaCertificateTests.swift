import Crypto
import DarajaClient
import DarajaSandbox
import Foundation
import SwiftASN1
import Testing
import X509

/// What `DarajaCertificate` accepts besides the sandbox's own certificate, and what it refuses.
@Suite struct DarajaCertificateTests {
    /// A self-signed certificate whose key is P-256, not RSA.
    static func ellipticCurveCertificatePEM() throws -> String {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName("Not RSA") }
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now, notValidAfter: now.addingTimeInterval(86_400), issuer: name, subject: name,
            signatureAlgorithm: .ecdsaWithSHA256, extensions: Certificate.Extensions(), issuerPrivateKey: .init(key))
        return try certificate.serializeAsPEM().pemString
    }

    @Test func malformedPEMIsRefused() throws {
        let sandbox = try DarajaSandbox().certificatePEM
        let lines = sandbox.split(separator: "\n")
        let end = try #require(lines.last)
        let cases: [(String, String)] = [
            ("-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n", "not base64"),
            (lines.dropLast().joined(separator: "\n") + "\n", "no END line"),
            (lines.prefix(5).joined(separator: "\n") + "\n" + end + "\n", "body cut short"),
            ("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", "empty body"),
            ("not a pem", "no PEM at all"),
        ]
        for (pem, comment) in cases {
            let error = #expect(throws: DarajaError.self, "\(comment)") { try DarajaCertificate(pem: pem) }
            #expect(error?.code == .invalidCertificate, "\(comment)")
        }
    }

    @Test func certificateWhoseKeyIsNotRSAIsRefused() throws {
        let pem = try Self.ellipticCurveCertificatePEM()
        let error = #expect(throws: DarajaError.self) { try DarajaCertificate(pem: pem) }
        #expect(error?.code == .invalidCertificate)
        #expect(error?.message.contains("not RSA") == true)
        let der = Data(try Certificate(pemEncoded: pem).serializeAsPEM().derBytes)
        #expect(throws: DarajaError.self) { try DarajaCertificate(der: der) }
    }

    @Test func bundleGivesItsFirstCertificate() throws {
        let sandbox = try DarajaSandbox().certificatePEM
        let other = try Self.ellipticCurveCertificatePEM()
        let bundle = sandbox + "\n" + other + "\n"
        #expect(try DarajaCertificate(pem: bundle).keySizeInBits == 2048)
        let reversed = other + "\n" + sandbox + "\n"
        let error = #expect(throws: DarajaError.self) { try DarajaCertificate(pem: reversed) }
        #expect(error?.message.contains("not RSA") == true)
    }

    @Test func publicKeyPEMOfTheCertificateReadsTheSame() throws {
        let certificate = try Certificate(pemEncoded: DarajaSandbox().certificatePEM)
        let publicKeyPEM = try certificate.publicKey.serializeAsPEM().pemString
        let fromKey = try DarajaCertificate(pem: publicKeyPEM)
        #expect(fromKey.keySizeInBits == 2048)
        let fromKeyDER = try DarajaCertificate(der: Data(certificate.publicKey.serializeAsPEM().derBytes))
        #expect(fromKeyDER.keySizeInBits == 2048)
        // Each credential is a fresh PKCS#1 v1.5 encryption: 256 bytes, base64.
        let credential = try fromKey.securityCredential(for: "Safaricom999!*!")
        #expect(Data(base64Encoded: credential)?.count == 256)
    }
}
