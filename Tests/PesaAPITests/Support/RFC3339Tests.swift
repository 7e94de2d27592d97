import Foundation
@testable import PesaAPI
import PesaCore
import PesaTesting
import Testing

@Suite struct RFC3339Tests {
    /// What the answers used to be formatted with (Foundation), the reference.
    static func foundation(_ ms: Int64) -> String {
        Date(timeIntervalSince1970: Double(ms) / 1000).formatted(
            .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    @Test func agreesWithFoundationOnEdgesAndRandomTimes() {
        let seed = TestSeed.make("RFC3339Tests")
        var generator = SeededRandom(seed: seed)
        let edges: [Int64] = [
            0, 1, 999, 1000, 86_399_999, 86_400_000, 951_782_400_000, 951_868_800_000, 1_764_331_200_000,
            1_790_000_000_123, 4_102_444_799_999, 253_402_300_799_999,
        ]
        let random = (0..<2_000).map { _ in Int64.random(in: 0...4_102_444_800_000, using: &generator) }
        for ms in edges + random {
            // Foundation goes through a Double, which can land a millisecond low: compare whole seconds with it
            // and the milliseconds exactly.
            let text = RFC3339.string(ms: ms)
            #expect(text.prefix(20) == Self.foundation(ms - ms % 1000).prefix(20), "seed \(seed): \(ms)")
            #expect(text.suffix(5) == "." + String(String(ms % 1000 + 1000).dropFirst()) + "Z", "seed \(seed): \(ms)")
            #expect(text.count == 24)
        }
        #expect(RFC3339.string(ms: 1_764_343_501_674) == "2025-11-28T15:25:01.674Z")
        #expect(RFC3339.string(ms: -1) == "1969-12-31T23:59:59.999Z")
    }
}

@Suite struct RequestIDTextTests {
    @Test func theDirectTextIsThePrefixedIDOfTheSameBytes() {
        let seed = TestSeed.make("RequestIDTextTests")
        var generator = SeededRandom(seed: seed)
        for sample in 0..<500 {
            let (high, low): (UInt64, UInt64) = sample == 0 ? (0, 0) : sample == 1 ? (.max, .max)
                : (generator.next(), generator.next())
            let bytes = (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * $0)) }
                + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * $0)) }
            #expect(
                RequestIDGenerator.text(high: high, low: low) == RequestID(randomBytes: bytes).rawValue, "seed \(seed)")
        }
        #expect(RequestIDGenerator.next() != RequestIDGenerator.next())
    }
}
