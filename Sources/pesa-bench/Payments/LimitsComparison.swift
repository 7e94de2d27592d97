import AsyncHTTPClient
import Foundation

extension PaymentsBenchCommand {
    /// `--compare-limits`: the same workload with rate limiting and metering on, then off, each round in
    /// alternating order (on, off, then off, on, …), each arm on a fresh gateway and data folder. The open-loop
    /// rates are the first arm's (its 'half'), kept for every later arm.
    func compareLimitArms(
        root: String, cleanup: BenchCleanup, http: HTTPClient, into report: inout PaymentsReport
    ) async throws -> LimitsComparison {
        var comparison = LimitsComparison(rounds: rounds)
        var rates: [Double]?
        for round in 1...rounds {
            for on in round % 2 == 1 ? [true, false] : [false, true] {
                let armRoot = root + "/limits-\(on ? "on" : "off")-round-\(round)"
                try FileManager.default.createDirectory(atPath: armRoot, withIntermediateDirectories: true)
                let gateway = BenchGateway(root: armRoot, executable: executable)
                cleanup.track(gateway)
                let first = report.phases.count
                let label = "\(LimitsComparison.armText(on)), round \(round): "
                Swift.print("\(label)starting a fresh gateway")
                rates = try await arm(
                    BenchProfiles(count: 1), named: false, gateway: gateway, http: http, label: label, rates: rates,
                    meteringAndRateLimits: on, into: &report)
                gateway.stop()
                try? FileManager.default.removeItem(atPath: armRoot)
                comparison.arms.append(.init(on: on, round: round, phases: Array(report.phases[first...])))
            }
        }
        return comparison
    }
}

/// The figures of `--compare-limits`: per arm (limits and metering on or off, in a round) the best closed-loop
/// completed rate, the push p99 of the first open-loop rate and the server's CPU per payment; per arm kind over
/// all rounds, with the ratio of on to off. The goal: on completes at least 95 % of off's rate.
struct LimitsComparison {
    struct Arm {
        let on: Bool
        let round: Int
        let phases: [PaymentsReport.Phase]

        var closedLoop: [PaymentsReport.Phase] { phases.filter { $0.openLoopRate == nil } }
        var openLoop: PaymentsReport.Phase? { phases.first { $0.openLoopRate != nil } }
        var completedPerSecond: Double { closedLoop.map(\.completions.perSecond).max() ?? 0 }
        var pushP99Ms: Double { openLoop?.outcome.latencyMs(quantile: 0.99) ?? 0 }
        var serverCPUMs: Double {
            guard let phase = openLoop, phase.completions.completed > 0 else { return 0 }
            return phase.serverCPUSeconds * 1000 / Double(phase.completions.completed)
        }
        var notCompleted: Int { phases.reduce(0) { $0 + $1.outcome.sent - $1.completions.completed } }
        /// Pushes the gateway answered with 429: none, when the limit is as high as meant.
        var refused: Int { phases.reduce(0) { $0 + ($1.outcome.failures["HTTP 429"] ?? 0) } }
    }

    let rounds: Int
    var arms: [Arm] = []

    /// On may complete no less than this share of off's rate.
    static let goal = 0.95

    static func armText(_ on: Bool) -> String { on ? "limits and metering on" : "limits and metering off" }

    func arms(_ on: Bool) -> [Arm] { arms.filter { $0.on == on } }

    func completedPerSecond(_ on: Bool) -> Double { mean(arms(on).map(\.completedPerSecond)) }

    func pushP99Ms(_ on: Bool) -> Double {
        arms(on).flatMap { $0.openLoop?.outcome.latenciesMs ?? [] }.sorted().nearestRank(0.99)
    }

    func serverCPUMs(_ on: Bool) -> Double { mean(arms(on).map(\.serverCPUMs)) }

    private func mean(_ values: [Double]) -> Double {
        values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    }

    func print() {
        let rate = arms.first?.openLoop?.openLoopRate.map { "\(Int($0))/s" } ?? "-"
        Swift.print("""

            Rate limiting and metering: on against off, \(rounds) round\(rounds == 1 ? "" : "s") in alternating \
            order, each arm a fresh gateway and data folder.

            | round | arm | completed/s (best closed loop) | push p50 / p99 at \(rate) (ms) | \
            server CPU ms per payment at \(rate) | sent, not completed | 429 |
            |---:|---|---:|---|---:|---:|---:|
            """)
        for arm in arms {
            let push = arm.openLoop.map {
                String(format: "%.1f / %.1f", $0.outcome.latencyMs(quantile: 0.5), arm.pushP99Ms)
            } ?? "-"
            Swift.print("| \(arm.round) | \(arm.on ? "on" : "off") | \(Int(arm.completedPerSecond)) | \(push) | "
                + String(format: "%.2f", arm.serverCPUMs) + " | \(arm.notCompleted) | \(arm.refused) |")
        }
        let rows: [(String, Double, Double)] = [
            ("completed payments/s (best closed loop, mean of the rounds)", completedPerSecond(true),
             completedPerSecond(false)),
            ("push p99 at \(rate) (ms, every round's pushes together)", pushP99Ms(true), pushP99Ms(false)),
            ("server CPU ms per payment at \(rate) (mean of the rounds)", serverCPUMs(true), serverCPUMs(false)),
        ]
        Swift.print("""

            | figure | on | off | on / off |
            |---|---:|---:|---:|
            """)
        for (name, on, off) in rows {
            Swift.print("| \(name) | " + String(format: "%.1f | %.1f | %.3f", on, off, off > 0 ? on / off : 0) + " |")
        }
        let ratio = completedPerSecond(false) > 0 ? completedPerSecond(true) / completedPerSecond(false) : 0
        let p99Ratio = pushP99Ms(false) > 0 ? pushP99Ms(true) / pushP99Ms(false) : 0
        // A line the tests read.
        Swift.print(
            "\nCOMPARE limits completed_ratio=" + String(format: "%.3f", ratio) + " p99_ratio="
                + String(format: "%.3f", p99Ratio) + " goal_met=\(ratio >= Self.goal)")
    }
}
