import AsyncHTTPClient
import Foundation

extension PaymentsBenchCommand {
    /// `--compare-profiles`: the same workload once per profile count in `counts` each round, in alternating
    /// order (1, N, then N, 1, …), each on a fresh gateway and data folder so that no arm meets a bigger tenant.
    /// The open-loop rates are the first arm's (its 'half'), kept for every later arm.
    func compare(
        _ counts: [Int], root: String, cleanup: BenchCleanup, http: HTTPClient, into report: inout PaymentsReport
    ) async throws -> ProfilesComparison {
        var comparison = ProfilesComparison(counts: counts, rounds: rounds)
        var rates: [Double]?
        for round in 1...rounds {
            for count in round % 2 == 1 ? counts : Array(counts.reversed()) {
                let armRoot = root + "/profiles-\(count)-round-\(round)"
                try FileManager.default.createDirectory(atPath: armRoot, withIntermediateDirectories: true)
                let gateway = BenchGateway(root: armRoot, executable: executable)
                cleanup.track(gateway)
                let first = report.phases.count
                let label = "\(ProfilesComparison.profilesText(count)), round \(round): "
                Swift.print("\(label)starting a fresh gateway")
                rates = try await arm(
                    BenchProfiles(count: count), named: true, gateway: gateway, http: http, label: label, rates: rates,
                    into: &report)
                gateway.stop()
                try? FileManager.default.removeItem(atPath: armRoot)
                comparison.arms.append(.init(profiles: count, round: round, phases: Array(report.phases[first...])))
            }
        }
        return comparison
    }
}

/// The figures of `--compare-profiles`: per arm (a profile count in a round) the best closed-loop completed
/// rate and the push p99 of the first open-loop rate, and per profile count over all rounds, with the ratio
/// of the larger count to 1 profile.
struct ProfilesComparison {
    struct Arm {
        let profiles: Int
        let round: Int
        let phases: [PaymentsReport.Phase]

        var closedLoop: [PaymentsReport.Phase] { phases.filter { $0.openLoopRate == nil } }
        /// The phase of the first open-loop rate.
        var openLoop: PaymentsReport.Phase? { phases.first { $0.openLoopRate != nil } }
        /// Completed payments per second of the best closed-loop phase.
        var completedPerSecond: Double { closedLoop.map(\.completions.perSecond).max() ?? 0 }
        var pushP99Ms: Double { openLoop?.outcome.latencyMs(quantile: 0.99) ?? 0 }
        var baselineP99Ms: Double { openLoop?.baseline?.latencyMs(quantile: 0.99) ?? 0 }
        /// Server CPU ms per completed payment in the open loop.
        var serverCPUMs: Double {
            guard let phase = openLoop, phase.completions.completed > 0 else { return 0 }
            return phase.serverCPUSeconds * 1000 / Double(phase.completions.completed)
        }
        var notCompleted: Int {
            phases.reduce(0) { $0 + $1.outcome.sent - $1.completions.completed }
        }
        /// "174379: 120, 600111: 120, …": the completed payments of the arm by the short code they were made on.
        var completedByShortCode: String {
            countSummary(phases.reduce(into: [:]) { $0.merge($1.completions.byShortCode, uniquingKeysWith: +) })
        }
    }

    /// Profile counts, 1 first.
    let counts: [Int]
    let rounds: Int
    var arms: [Arm] = []

    static let tolerance = 0.05

    static func profilesText(_ count: Int) -> String { count == 1 ? "1 profile" : "\(count) profiles" }

    func arms(_ count: Int) -> [Arm] { arms.filter { $0.profiles == count } }

    /// Mean over the rounds of the best closed-loop completed rate.
    func completedPerSecond(_ count: Int) -> Double { mean(arms(count).map(\.completedPerSecond)) }

    /// The p99 of every round's open-loop pushes together.
    func pushP99Ms(_ count: Int) -> Double {
        arms(count).flatMap { $0.openLoop?.outcome.latenciesMs ?? [] }.sorted().nearestRank(0.99)
    }

    func serverCPUMs(_ count: Int) -> Double { mean(arms(count).map(\.serverCPUMs)) }

    private func mean(_ values: [Double]) -> Double {
        values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    }

    func print() {
        guard let base = counts.first, let other = counts.last, other != base else { return }
        let rate = arms.first?.openLoop?.openLoopRate.map { "\(Int($0))/s" } ?? "-"
        Swift.print("""

            Short-code profiles: \(Self.profilesText(base)) against \(Self.profilesText(other)), \(rounds) \
            round\(rounds == 1 ? "" : "s") in alternating order, each arm a fresh gateway and data folder; every \
            push names its profile (round-robin).

            | round | profiles | completed/s (best closed loop) | push p50 / p99 at \(rate) (ms) | \
            GET /healthz p99 at \(rate) (ms) | server CPU ms per payment at \(rate) | sent, not completed | \
            completed by short code |
            |---:|---:|---:|---|---:|---:|---:|---|
            """)
        for arm in arms {
            let push = arm.openLoop.map {
                String(format: "%.1f / %.1f", $0.outcome.latencyMs(quantile: 0.5), arm.pushP99Ms)
            } ?? "-"
            Swift.print("| \(arm.round) | \(arm.profiles) | \(Int(arm.completedPerSecond)) | \(push) | "
                + String(format: "%.1f | %.2f", arm.baselineP99Ms, arm.serverCPUMs)
                + " | \(arm.notCompleted) | \(arm.completedByShortCode) |")
        }
        let rows: [(String, Double, Double, Bool)] = [
            ("completed payments/s (best closed loop, mean of the rounds)", completedPerSecond(base),
             completedPerSecond(other), true),
            ("push p99 at \(rate) (ms, every round's pushes together)", pushP99Ms(base), pushP99Ms(other), true),
            ("server CPU ms per payment at \(rate) (mean of the rounds)", serverCPUMs(base), serverCPUMs(other),
             false),
        ]
        Swift.print("""

            | figure | \(Self.profilesText(base)) | \(Self.profilesText(other)) | \(other) / \(base) | \
            within \(Int(Self.tolerance * 100)) % |
            |---|---:|---:|---:|---|
            """)
        for (name, one, many, judged) in rows {
            let ratio = one > 0 ? many / one : 0
            let within = judged ? (abs(ratio - 1) <= Self.tolerance ? "yes" : "no") : "(no goal)"
            Swift.print("| \(name) | " + String(format: "%.1f | %.1f | %.3f", one, many, ratio) + " | \(within) |")
        }
        let completedRatio = completedPerSecond(base) > 0 ? completedPerSecond(other) / completedPerSecond(base) : 0
        let p99Ratio = pushP99Ms(base) > 0 ? pushP99Ms(other) / pushP99Ms(base) : 0
        // A line the tests read.
        Swift.print(
            "\nCOMPARE profiles=\(other) completed_ratio=" + String(format: "%.3f", completedRatio) + " p99_ratio="
                + String(format: "%.3f", p99Ratio))
    }
}
