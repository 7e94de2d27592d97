import Foundation

/// A seeded generator (SplitMix64) for PesaCoreTests' randomized tests, which import nothing but PesaCore
/// (PesaTesting's `SeededRandom` and `TestSeed` serve the other test targets the same way).
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { self.state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `PESA_TEST_SEED`, or a fresh random seed; printed either way, with the line that replays it.
    static func seed(_ test: String) -> UInt64 {
        let seed = ProcessInfo.processInfo.environment["PESA_TEST_SEED"].flatMap(UInt64.init)
            ?? UInt64.random(in: 1...UInt64.max / 2)
        print("\(test) seed \(seed) (PESA_TEST_SEED=\(seed) replays it)")
        return seed
    }
}
