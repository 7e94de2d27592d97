import Foundation

/// The seed of a randomized test. `PESA_TEST_SEED` replays one: every randomized test of the suite reads it,
/// and every one prints the seed it uses, so a failure is replayed with
/// `PESA_TEST_SEED=<seed> swift test --filter <test>`.
public enum TestSeed {
    public static let environmentName = "PESA_TEST_SEED"

    /// `PESA_TEST_SEED`, when it is set to a number.
    public static var fromEnvironment: UInt64? {
        ProcessInfo.processInfo.environment[environmentName].flatMap(UInt64.init)
    }

    /// `PESA_TEST_SEED`, or a fresh random seed; printed either way, with the line that replays it.
    public static func make(_ test: String) -> UInt64 {
        let seed = fromEnvironment ?? UInt64.random(in: 1...UInt64.max / 2)
        print("\(test) seed \(seed) (\(environmentName)=\(seed) replays it)")
        return seed
    }

    /// The seeds of a test that runs once per seed: `defaults`, or only `PESA_TEST_SEED` when it is set.
    public static func list(_ defaults: Range<UInt64>) -> [UInt64] {
        fromEnvironment.map { [$0] } ?? Array(defaults)
    }
}
