import AsyncHTTPClient
import Foundation
import NIOHTTP1
import PesaCLI

/// One payout batch through a fresh gateway at one pace: posted, read back until completed, timed from the POST.
struct BatchRun {
    let pace: Int
    let rows: Int
    let callbackDelayMs: Int64
    /// The POST's own time (validating and journaling the rows).
    var postSeconds = 0.0
    /// Until no row was queued (every row's payout journaled and on its way).
    var dispatchedSeconds = 0.0
    /// Until no row was queued or awaiting Daraja's acknowledgement.
    var sentSeconds = 0.0
    /// Until the batch was completed, every row with its result.
    var completedSeconds = 0.0
    var counts: [String: Int] = [:]
    var peakResidentMB: Int?
    var serverCPUSeconds = 0.0
    var journalSyncs = JournalSyncs()

    var sentPerSecond: Double { sentSeconds > 0 ? Double(rows) / sentSeconds : 0 }
    var completedPerSecond: Double { completedSeconds > 0 ? Double(rows) / completedSeconds : 0 }
    var sentRatio: Double { sentPerSecond / Double(pace) }
    var completedRatio: Double { completedPerSecond / Double(pace) }
    /// The completed ratio of rows sent exactly at the pace, the last one completed one callback delay later.
    var idealCompletedRatio: Double {
        let atPace = Double(rows) / Double(pace)
        return atPace / (atPace + Double(callbackDelayMs) / 1000)
    }
    /// The pace holds: rows went out at ≥ 95 % of it and completed at ≥ 95 % of the ideal.
    var goalMet: Bool { sentRatio >= 0.95 && completedRatio >= 0.95 * idealCompletedRatio }

    static func items(_ rows: Int) -> String {
        (0..<rows).map { row in
            let phone = "254711" + String(format: "%06d", row)
            return #"{"phone":"\#(phone)","amount":10,"reference":"BENCH-\#(row)"}"#
        }.joined(separator: ",")
    }

    static func measure(
        gateway: BenchGateway, http: HTTPClient, pace: Int, rows: Int, callbackDelayMs: Int64, pollMs: Int
    ) async throws -> BatchRun {
        var run = BatchRun(pace: pace, rows: rows, callbackDelayMs: callbackDelayMs)
        let body = #"{"command":"salary_payment","items":[\#(items(rows))]}"#
        let syncsBefore = try await gateway.journalSyncs(http: http)
        let cpuBefore = BenchCPU.seconds(pid: gateway.processID)
        let clock = ContinuousClock()
        let start = clock.now
        let seconds = { (clock.now - start) / .milliseconds(1) / 1000 }
        let (created, answer) = try await gateway.send(http, .POST, "/v1/payout-batches", body: body)
        run.postSeconds = seconds()
        guard created == 201, let id = Self.object(answer)?["id"] as? String else {
            throw CLIError("POST /v1/payout-batches answered \(created): \(answer.prefix(2_000))")
        }
        // Sending at the pace, then one callback delay, then as long again as slack.
        let timeoutSeconds = 60 + 3 * Double(rows) / Double(pace) + Double(callbackDelayMs) / 1000
        var dispatched: Double?
        var sent: Double?
        while true {
            let (status, text) = try await gateway.send(http, .GET, "/v1/payout-batches/\(id)")
            let now = seconds()
            guard status == 200, let batch = Self.object(text), let state = batch["status"] as? String,
                let counts = batch["counts"] as? [String: Int]
            else { throw CLIError("GET /v1/payout-batches/\(id) answered \(status): \(text.prefix(2_000))") }
            let queued = counts["queued"] ?? 0
            if dispatched == nil, queued == 0 { dispatched = now }
            if sent == nil, queued + (counts["sending"] ?? 0) == 0 { sent = now }
            run.counts = counts.filter { $0.value > 0 }
            if state.hasPrefix("completed") || state == "cancelled" {
                run.completedSeconds = now
                guard state == "completed", counts["succeeded"] == rows else {
                    throw CLIError("batch \(id) at \(pace)/s ended \(state), not every row succeeded: \(run.counts)")
                }
                break
            }
            guard now < timeoutSeconds, gateway.isRunning else {
                throw CLIError(
                    "batch \(id) at \(pace)/s not completed after \(Int(now)) s (\(state), \(run.counts)):\n"
                        + gateway.printed.suffix(4_000))
            }
            try await Task.sleep(for: .milliseconds(pollMs))
        }
        run.dispatchedSeconds = dispatched ?? run.completedSeconds
        run.sentSeconds = sent ?? run.completedSeconds
        run.serverCPUSeconds = BenchCPU.seconds(pid: gateway.processID) - cpuBefore
        run.journalSyncs = try await gateway.journalSyncs(http: http).since(syncsBefore)
        run.peakResidentMB = gateway.peakResidentMB
        return run
    }

    static func object(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    static func format(_ value: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", value) }

    /// The machine-readable line of one pace.
    var resultLine: String {
        "BATCH pace=\(pace) rows=\(rows) succeeded=\(counts["succeeded"] ?? 0) post_s=\(Self.format(postSeconds))"
            + " dispatched_s=\(Self.format(dispatchedSeconds)) sent_s=\(Self.format(sentSeconds))"
            + " completed_s=\(Self.format(completedSeconds)) sent_ratio=\(Self.format(sentRatio))"
            + " completed_ratio=\(Self.format(completedRatio))"
            + " ideal_completed_ratio=\(Self.format(idealCompletedRatio))"
            + " peak_rss_mb=\(peakResidentMB.map(String.init) ?? "-") server_cpu_s=\(Self.format(serverCPUSeconds, 1))"
            + " journal_syncs=\(journalSyncs.count) goal_met=\(goalMet)"
    }

    static func printTable(_ runs: [BatchRun], callbackDelayMs: Int64) {
        print(
            """

            Payout batches: one batch per pace, each on a fresh gateway; sandbox callbacks after \(callbackDelayMs) ms.

            | pace (rows/s) | rows | sent (s) | sent/s | sent / pace | completed (s) | completed/s | completed / pace \
            | ideal completed / pace | peak RSS (MB) | server CPU (s) | journal fdatasyncs | goal met |
            |---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|
            """)
        for run in runs {
            let cells = [
                "\(run.pace)", "\(run.rows)", format(run.sentSeconds, 2), format(run.sentPerSecond, 1),
                format(run.sentRatio), format(run.completedSeconds, 2), format(run.completedPerSecond, 1),
                format(run.completedRatio), format(run.idealCompletedRatio), run.peakResidentMB.map(String.init) ?? "-",
                format(run.serverCPUSeconds, 1), run.journalSyncs.summary, run.goalMet ? "yes" : "no",
            ]
            print("| " + cells.joined(separator: " | ") + " |")
        }
    }
}
