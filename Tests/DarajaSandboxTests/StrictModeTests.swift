import DarajaSandbox
import DarajaWire
import Foundation
import Testing

/// Strictness: one session per subscriber (on by default, as Daraja), unique ids; opt-in timestamp window and
/// spike arrest.
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
        let configuration = SandboxConfiguration(callbackDelayMs: 60_000)
        #expect(configuration.locksSubscribers)
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

    /// With the lock lifted, pushes to one phone in the same millisecond still get unique CheckoutRequestIDs
    /// (the id's time part moves to the next free millisecond), each with its own MerchantRequestID.
    @Test func idsAreUniqueEvenForSimultaneousPushesToOnePhone() async throws {
        var configuration = SandboxConfiguration(callbackDelayMs: 60_000)
        configuration.locksSubscribers = false
        try await RawHarness.run(configuration) { harness in
            let token = try await harness.token()
            let bodies = (0..<40).map { _ in freshPush(harness) }
            let answers = try await withThrowingTaskGroup(of: STKPushResponse.self) { group in
                for body in bodies {
                    group.addTask {
                        let answer = try await harness.post(DarajaEndpoint.stkPush.path, body, token: token)
                        #expect(answer.status == 200)
                        return try answer.decode(STKPushResponse.self)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let checkouts = Set(answers.map(\.checkoutRequestID))
            let merchants = Set(answers.map(\.merchantRequestID))
            #expect(checkouts.count == 40)
            #expect(merchants.count == 40)
            #expect(checkouts.allSatisfy { $0.hasPrefix("ws_CO_") && $0.hasSuffix("708374149") })
        }
    }

    @Test func spikeArrest() async throws {
        var configuration = SandboxConfiguration(callbackDelayMs: 5)
        configuration.stkPushesPerSecondMax = 1
        try await RawHarness.run(configuration) { harness in
            let token = try await harness.token()
            let started = ContinuousClock.now
            let codes = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<5 {
                    group.addTask {
                        try await harness.post(DarajaEndpoint.stkPush.path, freshPush(harness), token: token).envelope?
                            .errorCode
                    }
                }
                var codes: [String] = []
                for try await code in group { if let code { codes.append(code) } }
                return codes
            }
            let elapsed = ContinuousClock.now - started
            // One push per clock second: pushes spanning `elapsed` touch at most floor(elapsed) + 2 clock seconds,
            // so no more than that many are accepted, however slow the machine is.
            let accepted = 5 - codes.count
            #expect(accepted <= Int(elapsed.components.seconds) + 2, "\(accepted) accepted in \(elapsed)")
            #expect(!codes.isEmpty)
            #expect(codes.allSatisfy { $0 == "500.003.02" })
        }
    }
}
