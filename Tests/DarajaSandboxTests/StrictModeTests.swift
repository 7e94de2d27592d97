import DarajaSandbox
import DarajaWire
import Foundation
import Testing

/// Opt-in strictness: timestamp window, one session per subscriber, spike arrest.
@Suite struct StrictModeTests {
    func freshPush(_ harness: RawHarness, phone: String = "254708374149") -> String {
        let (password, timestamp) = STKPassword.make(
            shortCode: "174379", passkey: SandboxConfiguration.publicSandboxPasskey, at: Date()
        )
        return EnvelopeTests.push(phone: phone, callback: harness.callbackURL("strict"))
            .replacingOccurrences(of: "20250314101523", with: timestamp)
            .replacingOccurrences(
                of: STKPassword.make(
                    shortCode: "174379", passkey: SandboxConfiguration.publicSandboxPasskey, timestamp: "20250314101523"
                ),
                with: password
            )
    }

    @Test func timestampWindow() async throws {
        var configuration = SandboxConfiguration(callbackDelayMs: 5)
        configuration.timestampWindowSeconds = 3600
        try await RawHarness.run(configuration) { harness in
            let token = try await harness.token()
            let stale = try await harness.post(
                DarajaEndpoint.stkPush.path, EnvelopeTests.push(callback: harness.callbackURL("strict")), token: token
            )
            #expect(stale.envelope?.errorMessage == "Bad Request - Invalid Timestamp")
            let fresh = try await harness.post(DarajaEndpoint.stkPush.path, freshPush(harness), token: token)
            #expect(fresh.status == 200)
        }
    }

    @Test func oneSessionPerSubscriber() async throws {
        var configuration = SandboxConfiguration(callbackDelayMs: 60_000)
        configuration.locksSubscribers = true
        try await RawHarness.run(configuration) { harness in
            let token = try await harness.token()
            let first = try await harness.post(DarajaEndpoint.stkPush.path, freshPush(harness), token: token)
            let second = try await harness.post(DarajaEndpoint.stkPush.path, freshPush(harness), token: token)
            let other = try await harness.post(
                DarajaEndpoint.stkPush.path, freshPush(harness, phone: "254712345678"), token: token
            )
            #expect(first.status == 200)
            #expect(second.status == 500)
            #expect(second.envelope?.errorCode == "500.001.1001")
            #expect(second.envelope?.errorMessage.hasPrefix("Unable to lock subscriber") == true)
            #expect(other.status == 200)
        }
    }

    @Test func spikeArrest() async throws {
        var configuration = SandboxConfiguration(callbackDelayMs: 5)
        configuration.stkPushesPerSecondMax = 1
        try await RawHarness.run(configuration) { harness in
            let token = try await harness.token()
            var codes: [String] = []
            for _ in 0..<5 {
                let answer = try await harness.post(DarajaEndpoint.stkPush.path, freshPush(harness), token: token)
                if let code = answer.envelope?.errorCode { codes.append(code) }
            }
            // Five pushes span at most two clock seconds, so at least three exceed one per second.
            #expect(codes.count >= 3)
            #expect(codes.allSatisfy { $0 == "500.003.02" })
        }
    }
}
