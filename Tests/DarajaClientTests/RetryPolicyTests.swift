import DarajaClient
import DarajaSandbox
import DarajaWire
import Foundation
import PesaTesting
import Testing

/// The client against a scripted misbehaving "Daraja" (the recorder answering fixed statuses).
@Suite struct RetryPolicyTests {
    static let token = #"{"access_token":"Qm7xT2pLk9VbN4cR8sWz1YdH3fJa","expires_in":"3599"}"#
    static let internalError = #"{"requestId":"r","errorCode":"500.003.1001","errorMessage":"Internal Server Error"}"#

    func fakeDaraja(_ harness: SandboxHarness) -> DarajaClient {
        harness.recorder.setReply(Self.token, forPath: DarajaEndpoint.oauthToken.path)
        return DarajaClient(
            configuration: DarajaClientConfiguration(
                environment: .custom(baseURL: harness.callbackBase), consumerKey: "k", consumerSecret: "s",
                requestTimeoutMs: 5_000, queryRetryCountMax: 3, retryBackoffBaseMs: 1, retryBackoffMaxMs: 4
            ),
            httpClient: harness.httpClient
        )
    }

    @Test(arguments: [500, 503, 429])
    func queriesAreRetriedABoundedNumberOfTimes(status: Int) async throws {
        try await SandboxHarness.run { harness in
            let client = fakeDaraja(harness)
            let path = DarajaEndpoint.accountBalance.path
            harness.recorder.setReply(status == 429 ? "{}" : Self.internalError, status: status, forPath: path)
            let error = await #expect(throws: DarajaError.self) {
                _ = try await client.accountBalance(Requests.balance(credential: "c", harness: harness))
            }
            #expect(error?.code == .transport)
            #expect(error?.httpStatus == status)
            #expect(harness.recorder.deliveries(to: path).count == 4)  // 1 + queryRetryCountMax
        }
    }

    @Test(arguments: [500, 502, 503, 504])
    func moneyMovingRequestsAreNeverResentAndBecomeOutcomeUnknown(status: Int) async throws {
        try await SandboxHarness.run { harness in
            let client = fakeDaraja(harness)
            let path = DarajaEndpoint.stkPush.path
            harness.recorder.setReply(
                status == 500 ? Self.internalError : "<html>bad gateway</html>", status: status, forPath: path)
            let error = await #expect(throws: DarajaError.self) {
                _ = try await client.stkPush(PushInputs.make(harness, phone: "254708374149"))
            }
            #expect(error?.code == .outcomeUnknown)
            #expect(harness.recorder.deliveries(to: path).count == 1)
        }
    }

    @Test func undecodableAcknowledgementOfAPaymentIsOutcomeUnknown() async throws {
        try await SandboxHarness.run { harness in
            let client = fakeDaraja(harness)
            harness.recorder.setReply("not json", forPath: DarajaEndpoint.b2cPaymentv3.path)
            let error = await #expect(throws: DarajaError.self) {
                _ = try await client.b2cPayment(
                    Requests.b2c(credential: "c", harness: harness, phone: "254708374149", originatorID: "o")
                )
            }
            #expect(error?.code == .outcomeUnknown)
            #expect(harness.recorder.deliveries(to: DarajaEndpoint.b2cPaymentv3.path).count == 1)
        }
    }

    @Test func spikeArrestOnAPaymentIsADefinitiveRejection() async throws {
        try await SandboxHarness.run { harness in
            let client = fakeDaraja(harness)
            let spike =
                #"{"requestId":"r","errorCode":"500.003.02","errorMessage":"Error Occurred: Spike Arrest Violation"}"#
            harness.recorder.setReply(spike, status: 500, forPath: DarajaEndpoint.stkPush.path)
            let error = await #expect(throws: DarajaError.self) {
                _ = try await client.stkPush(PushInputs.make(harness, phone: "254708374149"))
            }
            #expect(error?.code == .rejected)
            #expect(error?.darajaErrorCode == "500.003.02")
        }
    }
}
