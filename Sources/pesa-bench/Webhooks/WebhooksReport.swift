import Foundation

/// One gateway of `pesa-bench webhooks`: its endpoint, its measured phase of payments and, with the fast
/// endpoint, what the receiver got.
struct WebhooksArm {
    enum Endpoint: String {
        /// No endpoint: the baseline.
        case none
        /// One endpoint answering 200 at once, subscribed to every event.
        case fast
        /// One endpoint that accepts connections and never answers.
        case timeout
    }

    let endpoint: Endpoint
    let round: Int
    let outcome: PaymentLoad.Outcome
    let completions: Completions
    let settled: Bool
    let serverCPUSeconds: Double
    var deliveriesDrained = false
    var tally: WebhookTally?
    /// The receiver's connections: accepted in all, most open at once.
    var connections: (accepted: Int, openMax: Int)?

    var label: String { endpoint == .fast ? "fast endpoint" : "round \(round), \(endpoint.rawValue)" }

    var cpuMsPerPayment: Double {
        completions.completed > 0 ? serverCPUSeconds * 1000 / Double(completions.completed) : 0
    }

    /// A line the tests read: counts only.
    var resultLine: String {
        "RESULT [\(label)] sent=\(outcome.sent) accepted=\(outcome.acceptedIDs.count)"
            + " completed=\(completions.completed) failed=\(outcome.failures.values.reduce(0, +)) settled=\(settled)"
            + (outcome.failures.isEmpty ? "" : " (\(outcome.failureSummary))")
    }
}

/// The figures of one `pesa-bench webhooks` run and their tables.
struct WebhooksReport {
    let loadBefore: String
    let clients: Int
    let seconds: Double
    var loadAfter = ""
    var deliveries: WebhooksArm?
    var arms: [WebhooksArm] = []

    static let lossMax = 0.05

    static func format(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }

    /// The timeout arms' completed rate over the baseline's, summed over the rounds.
    var timeoutRatio: Double? {
        let rate = { (endpoint: WebhooksArm.Endpoint) in
            arms.filter { $0.endpoint == endpoint }.map(\.completions.perSecond).reduce(0, +)
        }
        let baseline = rate(.none)
        return baseline > 0 ? rate(.timeout) / baseline : nil
    }

    func print() {
        Swift.print(
            """

            Gateways: `pesa serve --demo` child processes on 127.0.0.1, embedded Daraja sandbox, \
            PESA_ALLOW_PRIVATE_WEBHOOKS=1; \(clients) closed-loop clients for \(Self.format(seconds)) s per phase.
            """)
        if let fast = deliveries, let tally = fast.tally { printDeliveries(fast, tally) }
        if !arms.isEmpty { printTimeouts() }
        Swift.print("\nLoad average \(loadBefore) before, \(loadAfter) after.")
    }

    private func printDeliveries(_ arm: WebhooksArm, _ tally: WebhookTally) {
        Swift.print(tally.resultLine)
        let types = tally.byType.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        Swift.print(
            """

            Deliveries to one endpoint answering 200 at once (every event), while payments settle:

            | figure | value |
            |---|---:|
            | payments settled/s (read back) | \(Self.format(tally.settledPerSecond)) |
            | deliveries/s in the same window | \(Self.format(tally.deliveriesPerSecond)) |
            | deliveries / payments settled | \(Self.format(tally.keptUp, 3)) |
            | delivery after its event: p50 / p99 / max (ms) | \(Self.format(tally.lagMs.p50)) / \
            \(Self.format(tally.lagMs.p99)) / \(Self.format(tally.lagMs.max)) |
            | deliveries in all (first to last: \(Self.format(tally.allSeconds, 2)) s) | \(tally.deliveries) |
            | succeeded payments / payment.succeeded delivered exactly once | \(tally.succeeded) / \
            \(tally.deliveredOnce) |
            | missing / duplicated / stray / redelivered | \(tally.missing) / \(tally.duplicated) / \(tally.stray) / \
            \(tally.redelivered) |
            | gateway CPU per payment (ms) | \(Self.format(arm.cpuMsPerPayment, 2)) |
            | all deliveries drained | \(arm.deliveriesDrained ? "yes" : "no") |

            Deliveries by type: \(types.isEmpty ? "none" : types).
            Goal: ≥ \(Int(WebhookTally.goalPerSecond)) deliveries/s, every succeeded payment's payment.succeeded \
            delivered exactly once: \(tally.goalMet ? "met" : "not met").
            """)
    }

    private func printTimeouts() {
        Swift.print(
            """

            Payments with one endpoint that never answers (deliveries hold their slots for the 15 s timeout) \
            against none, each on a fresh gateway:

            | arm | accepted | completed | completed/s | gateway CPU per payment (ms) | endpoint connections \
            (accepted, most open at once) |
            |---|---:|---:|---:|---:|---|
            """)
        for arm in arms {
            let cells = [
                arm.label, "\(arm.outcome.acceptedIDs.count)", "\(arm.completions.completed)",
                Self.format(arm.completions.perSecond), Self.format(arm.cpuMsPerPayment, 2),
                arm.connections.map { "\($0.accepted), \($0.openMax)" } ?? "-",
            ]
            Swift.print("| " + cells.joined(separator: " | ") + " |")
        }
        guard let ratio = timeoutRatio else { return }
        let rounds = Set(arms.map(\.round)).count
        let met = ratio >= 1 - Self.lossMax
        Swift.print(
            """

            TIMEOUT rounds=\(rounds) ratio=\(Self.format(ratio, 3)) goal_met=\(met)
            Completed payments/s with the never-answering endpoint over none: \(Self.format(ratio, 3)) \
            (goal: ≥ \(Self.format(1 - Self.lossMax, 2)), under \(Int(Self.lossMax * 100)) % lost): \
            \(met ? "met" : "not met").
            """)
    }
}
