import DarajaClient
import DarajaSandbox
import DarajaWire
import Foundation
import Testing

@Suite struct TokenTests {
    @Test func tokenIsCachedAndFetchedSingleFlight() async throws {
        try await SandboxHarness.run { harness in
            let client = harness.client()
            try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<100 { group.addTask { try await client.accessToken().value } }
                var tokens = Set<String>()
                for try await token in group { tokens.insert(token) }
                #expect(tokens.count == 1)
            }
            _ = try await client.accessToken()
            #expect(harness.sandbox.statistics.tokenRequestCount == 1)
        }
    }

    @Test func concurrentPushesShareOneToken() async throws {
        var configuration = SandboxConfiguration(callbackDelayMs: 5)
        configuration.locksSubscribers = false  // every push is to one phone
        try await SandboxHarness.run(configuration) { harness in
            let client = harness.client()
            // 24 at once: enough to race for the token, few enough that a machine busy with the whole suite answers
            // each within its timeout (a push that times out is, rightly, an unknown outcome, not a retry).
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<24 {
                    group.addTask { _ = try await client.stkPush(PushInputs.make(harness, phone: "254708374149")) }
                }
                try await group.waitForAll()
            }
            #expect(harness.sandbox.statistics.tokenRequestCount == 1)
            #expect(harness.sandbox.statistics.stkPushCount == 24)
        }
    }

    @Test func invalidTokenIsRefreshedAndRetriedOnceForBothFamilies() async throws {
        try await SandboxHarness.run { harness in
            let client = harness.client()
            _ = try await client.accessToken()
            harness.sandbox.revokeAccessTokens()
            _ = try await client.stkPush(PushInputs.make(harness, phone: "254708374149"))  // 404.001.03 then retry
            #expect(harness.sandbox.statistics.tokenRequestCount == 2)
            harness.sandbox.revokeAccessTokens()
            let credential = try harness.certificate().securityCredential(for: "Safaricom999!*!")
            // 401.002.01, then one refresh and one retry.
            _ = try await client.accountBalance(Requests.balance(credential: credential, harness: harness))
            #expect(harness.sandbox.statistics.tokenRequestCount == 3)
        }
    }

    @Test func tokenRefusedTwiceSurfacesWithoutLeakingTheToken() async throws {
        try await SandboxHarness.run(SandboxConfiguration(callbackDelayMs: 5, tokenLifetimeSeconds: 0)) { harness in
            let client = harness.client()
            let credential = try harness.certificate().securityCredential(for: "Safaricom999!*!")
            let error = await #expect(throws: DarajaError.self) {
                _ = try await client.accountBalance(Requests.balance(credential: credential, harness: harness))
            }
            #expect(error?.code == .rejected)
            #expect(error?.darajaErrorCode == "401.002.01")
            #expect(error?.darajaErrorMessage == "Error Occurred - Invalid Access Token - <redacted>")
            #expect(harness.sandbox.statistics.tokenRequestCount == 2)  // first try + exactly one refresh
        }
    }

    @Test func productMismatchIsNotRetried() async throws {
        let configuration = SandboxConfiguration(callbackDelayMs: 5, consumerKeysWithoutProducts: ["no-products"])
        try await SandboxHarness.run(configuration) { harness in
            let client = harness.client(consumerKey: "no-products")
            let error = await #expect(throws: DarajaError.self) {
                _ = try await client.stkPush(PushInputs.make(harness, phone: "254708374149"))
            }
            #expect(error?.darajaErrorCode == "401.003.01")
            #expect(error?.httpStatus == 401)
            #expect(harness.sandbox.statistics.tokenRequestCount == 1)
        }
    }

    @Test func secretsNeverPrint() {
        let secret = DarajaSecret("super-secret-passkey")
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        let configuration = DarajaClientConfiguration(environment: .sandbox, consumerKey: "k", consumerSecret: secret)
        #expect(!"\(configuration)".contains("super-secret-passkey"))
    }

    @Test func wrongConsumerSecretShapeIsAnAuthenticationError() async throws {
        try await SandboxHarness.run { harness in
            let client = harness.client(consumerKey: "", secret: "")
            let error = await #expect(throws: DarajaError.self) { _ = try await client.accessToken() }
            #expect(error?.code == .authentication)
            #expect(error?.darajaErrorCode == "400.008.01")
            #expect(error.map { "\($0)".contains("400.008.01") } == true)
        }
    }
}
