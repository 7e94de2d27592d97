public import PesaCore
public import ServiceLifecycle

/// Takes billing's timed steps (`Gateway.advanceBilling`): at start-up, then every `everyMs`. A step missed
/// while the gateway was down is taken at the next start, as of the time it was due where that matters (a
/// period's end).
public struct BillingClock: Service {
    let gateway: Gateway
    let everyMs: Int64

    public init(gateway: Gateway, everyMs: Int64 = Limits.billingTickEveryMs) {
        self.gateway = gateway
        self.everyMs = everyMs
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await gateway.advanceBilling()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(everyMs)) }
        }
    }
}
