import Foundation
import Synchronization

/// Clients that log into one organization in a loop, each as its own user, while something else is measured.
/// After a 429 a client pauses `pauseMs` (an attacker would not, but the generator shares the cores it
/// measures); an error ends nothing, it is counted.
struct LoginFlood: Sendable {
    /// What the flood got, by answer.
    struct Counts: Sendable {
        var succeeded = 0
        var refused = 0
        var failed = 0
        var seconds = 0.0

        var line: String {
            let rate = String(format: "%.1f", Double(succeeded) / max(seconds, 0.001))
            return "flood: \(succeeded) logins in \(String(format: "%.1f", seconds)) s (\(rate)/s), "
                + "\(refused) answered 429, \(failed) other answers or errors"
        }
    }

    let load: LoginLoad
    let users: [LoginLoad.User]
    let pauseMs: Int
    /// Lets the flood build its queue before the measured work starts.
    static let rampUpMs = 1_000

    /// Runs `measured` while the flood runs; the flood stops when `measured` returns.
    func during<T: Sendable>(_ measured: @Sendable () async throws -> T) async throws -> (T, Counts) {
        let stopped = StopFlag()
        let start = ContinuousClock.now
        return try await withThrowingTaskGroup(of: Counts.self) { group in
            for user in users {
                group.addTask { await self.client(user, stopped: stopped) }
            }
            try await Task.sleep(for: .milliseconds(Self.rampUpMs))
            let result: T
            do {
                result = try await measured()
            } catch {
                stopped.value.store(true, ordering: .relaxed)
                throw error
            }
            stopped.value.store(true, ordering: .relaxed)
            var total = Counts()
            for try await counts in group {
                total.succeeded += counts.succeeded
                total.refused += counts.refused
                total.failed += counts.failed
            }
            total.seconds = (ContinuousClock.now - start).seconds
            return (result, total)
        }
    }

    private func client(_ user: LoginLoad.User, stopped: StopFlag) async -> Counts {
        var counts = Counts()
        while !stopped.value.load(ordering: .relaxed) {
            switch try? await load.login(user) {
            case (200, _)?: counts.succeeded += 1
            case (429, _)?:
                counts.refused += 1
                try? await Task.sleep(for: .milliseconds(pauseMs))
            default: counts.failed += 1
            }
        }
        return counts
    }
}

/// Set once, when the flood is to stop.
final class StopFlag: Sendable {
    let value = Atomic<Bool>(false)
}
