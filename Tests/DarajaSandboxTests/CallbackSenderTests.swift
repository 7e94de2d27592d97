import DarajaWire
import Foundation
import PesaTesting
import Testing

@testable import DarajaSandbox

/// The sandbox's callback delivery: never before the configured delay, every copy of a duplicated callback,
/// a bounded queue, and order across many callbacks due at nearly the same time.
@Suite struct CallbackSenderTests {
    @Test func aCallbackNeverArrivesBeforeItsDelay() async throws {
        try await RawHarness.run(SandboxConfiguration(callbackDelayMs: 300)) { harness in
            let token = try await harness.token()
            let clock = ContinuousClock()
            let sent = clock.now
            let answer = try await harness.post(
                DarajaEndpoint.stkPush.path, EnvelopeTests.push(callback: harness.callbackURL("late")), token: token)
            #expect(answer.status == 200)
            #expect(harness.recorder.deliveries(to: "/late").isEmpty)
            let delivered = await harness.recorder.waitForDeliveries(to: "/late", count: 1)
            #expect(delivered.count == 1)
            #expect(clock.now - sent >= .milliseconds(300))
        }
    }

    @Test func bothCopiesOfADuplicatedCallbackArrive() async throws {
        try await RawHarness.run { harness in
            let token = try await harness.token()
            let push = EnvelopeTests.push(phone: "254700000002", callback: harness.callbackURL("twice"))
            #expect(try await harness.post(DarajaEndpoint.stkPush.path, push, token: token).status == 200)
            let delivered = await harness.recorder.waitForDeliveries(to: "/twice", count: 2)
            #expect(delivered.count == 2)
            #expect(delivered.first?.body == delivered.last?.body)
        }
    }

    @Test func manyCallbacksDueTogetherAreAllDelivered() async throws {
        // More at once than the concurrency limit: the rest wait for a free slot instead of a timer.
        var configuration = SandboxConfiguration(callbackDelayMs: 20, callbackConcurrencyMax: 4)
        configuration.locksSubscribers = false  // every push is to one phone
        try await RawHarness.run(configuration) { harness in
            let token = try await harness.token()
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        let push = EnvelopeTests.push(callback: harness.callbackURL("burst"))
                        return try await harness.post(DarajaEndpoint.stkPush.path, push, token: token).status
                    }
                }
                for try await status in group { #expect(status == 200) }
            }
            #expect(await harness.recorder.waitForDeliveries(to: "/burst", count: 40).count == 40)
            #expect(harness.sandbox.statistics.callbacksDropped == 0)
        }
    }

    @Test func aFullQueueDropsAndCounts() async throws {
        // A delay far beyond the test keeps every callback queued.
        var configuration = SandboxConfiguration(callbackDelayMs: 600_000, callbackQueueDepthMax: 2)
        configuration.locksSubscribers = false  // every push is to one phone
        try await RawHarness.run(configuration) { harness in
            let token = try await harness.token()
            for _ in 0..<3 {
                let push = EnvelopeTests.push(callback: harness.callbackURL("queued"))
                #expect(try await harness.post(DarajaEndpoint.stkPush.path, push, token: token).status == 200)
            }
            #expect(harness.sandbox.statistics.callbacksDropped == 1)
            #expect(harness.recorder.deliveries(to: "/queued").isEmpty)
        }
    }
}

/// Logged callback URLs keep the host and the kind, never the path between (the gateway's token is there).
@Suite struct CallbackURLRedactionTests {
    @Test func theTokenNeverReachesALog() {
        let url = "http://127.0.0.1:8080/callbacks/acme/Zx9secretTokenValue0123456789abcd/stk"
        let logged = CallbackSender.redacted(url)
        #expect(logged == "http://127.0.0.1:8080/…/stk")
        #expect(!logged.contains("Zx9secret"))
        #expect(CallbackSender.redacted("not a url") == "…")
    }
}
