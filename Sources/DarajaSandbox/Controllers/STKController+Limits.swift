import DarajaWire
import Foundation
import HTTPTypes
import Hummingbird

extension STKController {
    /// Spike arrest (`500.003.02`) when a consumer key exceeds `stkPushesPerSecondMax` in one second.
    func arrestSpikes(_ consumerKey: String) throws(SandboxHTTPError) {
        guard let limit = services.configuration.stkPushesPerSecondMax else { return }
        let second = Int64(Date().timeIntervalSince1970)
        let allowed = services.state.withLock { storage -> Bool in
            var window = storage.pushesThisSecond[consumerKey] ?? (second, 0)
            if window.second != second { window = (second, 0) }
            window.count += 1
            storage.pushesThisSecond[consumerKey] = window
            return window.count <= limit
        }
        guard allowed else {
            throw SandboxHTTPError(
                .internalServerError, DarajaErrorCode.spikeArrest, "Error Occurred: Spike Arrest Violation")
        }
    }

    /// One pending STK session per phone when `locksSubscribers` is on.
    func lockSubscriber(_ phone: String) throws(SandboxHTTPError) {
        guard services.configuration.locksSubscribers else { return }
        let now = ContinuousClock.now
        let until = now + .milliseconds(services.configuration.callbackDelayMs)
        let locked = services.state.withLock { storage -> Bool in
            if let busyUntil = storage.lockedSubscribers[phone], busyUntil > now { return true }
            storage.lockedSubscribers[phone] = until
            return false
        }
        if locked {
            throw SandboxHTTPError(
                .internalServerError, DarajaErrorCode.merchantValidation,
                "Unable to lock subscriber, a transaction is already in process for the current subscriber"
            )
        }
    }
}
