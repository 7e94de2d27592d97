import PesaEngine
import Testing

/// Webhook secrets and Standard Webhooks signatures, against the spec's published known answer.
@Suite struct WebhookSignatureTests {
    /// The known answer of the Standard Webhooks reference libraries.
    static let secretText = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let id = "msg_p5jXN8AQM9LWM0D4loKWxJek"
    static let timestamp: Int64 = 1_614_265_330
    static let body = Array(#"{"test": 2432232314}"#.utf8)
    static let expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

    @Test func knownAnswerOfTheSpecSignsAndVerifies() throws {
        let secret = try WebhookSecret(text: Self.secretText)
        #expect(secret.bytes.count == 24)
        #expect(secret.text == Self.secretText)
        let header = WebhookSignature.header(
            id: Self.id, timestampSeconds: Self.timestamp, body: Self.body, secrets: [secret])
        #expect(header == Self.expected)
        #expect(
            WebhookSignature.verify(
                header: Self.expected, id: Self.id, timestampSeconds: Self.timestamp, body: Self.body, secret: secret))
    }

    @Test func changedIdTimestampOrBodyFailsVerification() throws {
        let secret = try WebhookSecret(text: Self.secretText)
        func verify(id: String = Self.id, timestamp: Int64 = Self.timestamp, body: [UInt8] = Self.body) -> Bool {
            WebhookSignature.verify(
                header: Self.expected, id: id, timestampSeconds: timestamp, body: body, secret: secret)
        }
        #expect(verify())
        #expect(!verify(id: "msg_p5jXN8AQM9LWM0D4loKWxJel"))
        #expect(!verify(timestamp: Self.timestamp + 1))
        #expect(!verify(body: Array(#"{"test": 2432232315}"#.utf8)))
        #expect(!verify(body: []))
        #expect(
            !WebhookSignature.verify(
                header: Self.expected, id: Self.id, timestampSeconds: Self.timestamp, body: Self.body,
                secret: .generate()))
    }

    @Test func rotationSignsWithEverySecretAndEachVerifies() {
        let old = WebhookSecret.generate()
        let new = WebhookSecret.generate()
        let header = WebhookSignature.header(
            id: Self.id, timestampSeconds: Self.timestamp, body: Self.body, secrets: [old, new])
        let entries = header.split(separator: " ")
        #expect(entries.count == 2)
        #expect(entries.allSatisfy { $0.hasPrefix("v1,") })
        for secret in [old, new] {
            #expect(
                WebhookSignature.verify(
                    header: header, id: Self.id, timestampSeconds: Self.timestamp, body: Self.body, secret: secret))
            let own = WebhookSignature.header(
                id: Self.id, timestampSeconds: Self.timestamp, body: Self.body, secrets: [secret])
            #expect(entries.contains(Substring(own)))
        }
        #expect(
            !WebhookSignature.verify(
                header: header, id: Self.id, timestampSeconds: Self.timestamp, body: Self.body, secret: .generate()))
    }

    @Test func malformedAndOtherVersionEntriesArePassedOver() throws {
        let secret = try WebhookSecret(text: Self.secretText)
        let mac = String(Self.expected.dropFirst(3))
        for header in ["", "v1", "v1,", "v1,!!!", "v2,\(mac)", "v1a,\(mac)", mac, "v1,\(mac.dropLast(2))"] {
            #expect(
                !WebhookSignature.verify(
                    header: header, id: Self.id, timestampSeconds: Self.timestamp, body: Self.body, secret: secret),
                "\(header)")
        }
        let mixed = "v1a,xyz v2,\(mac)  v1,\(mac)"
        #expect(
            WebhookSignature.verify(
                header: mixed, id: Self.id, timestampSeconds: Self.timestamp, body: Self.body, secret: secret))
    }

    @Test func generatedSecretsAreRandomAndReadBackFromText() throws {
        let secret = WebhookSecret.generate()
        #expect(secret.bytes.count == 32)
        #expect(secret != WebhookSecret.generate())
        #expect(secret.text.hasPrefix("whsec_"))
        #expect(try WebhookSecret(text: secret.text) == secret)
        #expect(WebhookSecret(bytes: secret.bytes) == secret)
    }

    @Test func hintNamesTheSecretWithoutRevealingIt() throws {
        let secret = try WebhookSecret(text: Self.secretText)
        #expect(secret.hint == "whsec_…LaSw")
        #expect("\(secret)" == secret.hint)
        #expect(!secret.hint.contains("MfKQ9r8G"))
    }

    @Test func malformedSecretTextIsRefused() {
        for text in [
            "", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_", "whsec_not base64!",
            "whsk_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "whsec_" + String(repeating: "A", count: 16), "whsec_" + String(repeating: "A", count: 120),
        ] {
            let error = #expect(throws: WebhookError.self, "\(text)") { try WebhookSecret(text: text) }
            #expect(error?.param == "secret")
        }
    }
}
