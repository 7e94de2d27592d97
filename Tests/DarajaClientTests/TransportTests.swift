import DarajaClient
import DarajaSandbox
import DarajaWire
import Foundation
import PesaTesting
import Testing

@Suite struct TransportTests {
    @Test func unreachableDarajaNeverLooksLikeSuccess() async throws {
        try await SandboxHarness.run { harness in
            // A port nothing listens on: the token query is retried (bounded), then fails fast and typed.
            let client = DarajaClient(
                configuration: DarajaClientConfiguration(
                    environment: .custom(baseURL: "http://127.0.0.1:1"), consumerKey: "k", consumerSecret: "s",
                    requestTimeoutMs: 300, queryRetryCountMax: 2, retryBackoffBaseMs: 5, retryBackoffMaxMs: 10
                ),
                httpClient: harness.httpClient
            )
            let error = await #expect(throws: DarajaError.self) {
                _ = try await client.stkPush(PushInputs.make(harness, phone: "254708374149"))
            }
            #expect(error?.code == .unreachable || error?.code == .transport)
        }
    }

    @Test func certificateLoadsFromPEMCertificatePublicKeyAndFile() throws {
        let fromCertificate = try DarajaCertificate(pem: SandboxHarness.sandboxCertificatePEM())
        #expect(fromCertificate.keySizeInBits == 2048)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-\(UUID()).cer").path
        try SandboxHarness.sandboxCertificatePEM().write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try DarajaCertificate(contentsOfFile: path).keySizeInBits == 2048)
        #expect(throws: DarajaError.self) { try DarajaCertificate(pem: "not a pem") }
        // A DER `.cer` (as Safaricom ships them) reads the same.
        let base64 = try SandboxHarness.sandboxCertificatePEM().split(separator: "\n")
            .filter { !$0.hasPrefix("-----") }.joined()
        let der = try #require(Data(base64Encoded: base64))
        #expect(try DarajaCertificate(der: der).keySizeInBits == 2048)
        // The fixture copy of the sandbox certificate is the one the sandbox serves.
        let fixture = try Fixtures.darajaText("sandbox_test_certificate.pem")
        #expect(
            fixture.trimmingCharacters(in: .whitespacesAndNewlines)
                == (try SandboxHarness.sandboxCertificatePEM()).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

extension SandboxHarness {
    static func sandboxCertificatePEM() throws -> String { try DarajaSandbox().certificatePEM }
}
