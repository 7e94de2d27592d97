import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// The load generator of `pesa-bench payments`: `POST /v1/payments/stk-push` over keep-alive loopback
/// connections with an API key, each request with its own phone, amount and `Idempotency-Key`.
struct PaymentLoad: Sendable {
    let http: HTTPClient
    let baseURL: String
    let apiKey: String
    /// Distinguishes the Idempotency-Keys and references of one phase from another's.
    let phase: String
    /// Every `declineEvery`-th push (when > 0) goes to the sandbox's "insufficient funds" test number, so its
    /// payment ends `failed` and must not count as completed (the tests use this).
    var declineEvery = 0
    /// The short codes the pushes name in `short_code`, round-robin; none named when empty (the default profile).
    var shortCodes: [String] = []

    /// What one phase sent and what came back.
    struct Outcome: Sendable {
        var sent = 0
        /// 201s, with the payment ids they answered.
        var acceptedIDs: [String] = []
        /// Anything else (status codes, transport errors), counted by kind.
        var failures: [String: Int] = [:]
        /// Milliseconds from the scheduled send to the answer (open loop), or from the send (closed loop).
        var latenciesMs: [Double] = []
        /// Seconds from the phase's start to each push's scheduled (open loop) or actual (closed loop) send,
        /// in the order of `latenciesMs`: what the per-second p99 is grouped by.
        var sentAtSeconds: [Double] = []
        var seconds = 0.0
        /// The open loop's start on CLOCK_MONOTONIC (NIO's uptime clock; what `perf record -k CLOCK_MONOTONIC`
        /// stamps samples with), so a slow window can be matched with a profile of the same run.
        var monotonicStartSeconds: Double?

        mutating func merge(_ other: Outcome) {
            sent += other.sent
            acceptedIDs += other.acceptedIDs
            failures.merge(other.failures, uniquingKeysWith: +)
            latenciesMs += other.latenciesMs
            sentAtSeconds += other.sentAtSeconds
        }

        var failureSummary: String { countSummary(failures) }
    }

    /// One push; the payment's id when it was accepted (201), else the failure's kind.
    func push(_ index: Int) async -> Result<String, PushFailure> {
        do {
            let request = try request(index, target: .push)
            let response = try await http.execute(
                request: request, delegate: ResponseAccumulator(request: request, maxBodySize: 64 * 1024),
                deadline: .now() + .seconds(30)
            ).futureResult.get()
            return Self.outcome(of: response, target: .push)
        } catch {
            return .failure(PushFailure(String(describing: type(of: error))))
        }
    }

    /// What an answer means: a push's payment id (201), `GET /healthz`'s 200, else the failure's kind.
    static func outcome(of response: HTTPClient.Response, target: OpenLoopTarget) -> Result<String, PushFailure> {
        switch (target, response.status.code) {
        case (.health, 200):
            return .success("")
        case (.push, 201):
            let id = response.body.flatMap(paymentID(in:))
            return id.map { .success($0) } ?? .failure(PushFailure("201 without an id"))
        default:
            return .failure(PushFailure("HTTP \(response.status.code)"))
        }
    }

    static let insufficientFundsPhone = 254_700_000_001

    /// The JSON body of push `index`.
    func body(_ index: Int) -> String {
        // Phones 2547 1xxxxxxx: none is one of the sandbox's scripted-failure test numbers, so all succeed.
        let declined = declineEvery > 0 && index % declineEvery == declineEvery - 1
        let phone = declined ? Self.insufficientFundsPhone : 254_710_000_000 + index % 10_000_000
        let shortCode = shortCodes.isEmpty ? "" : #","short_code":"\#(shortCodes[index % shortCodes.count])""#
        return #"{"phone":"\#(phone)","amount":\#(1 + index % 1_000),"#
            + #""account_reference":"B\#(index % 100_000_000)","description":"Bench \#(phase)"\#(shortCode)}"#
    }

    /// The value of the answer's `"id"` (a scan, not a JSON decode: the load generator shares the CPU).
    static func paymentID(in answer: ByteBuffer) -> String? {
        let bytes = Array(answer.readableBytesView)
        let marker = Array(#""id":""#.utf8)
        guard bytes.count > marker.count else { return nil }
        for start in 0...(bytes.count - marker.count) where bytes[start..<start + marker.count].elementsEqual(marker) {
            let from = start + marker.count
            guard let end = bytes[from...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
            return String(decoding: bytes[from..<end], as: UTF8.self)
        }
        return nil
    }

    struct PushFailure: Error {
        let kind: String
        init(_ kind: String) { self.kind = kind }
    }

    /// Closed loop: `clients` workers, each sending its next push as soon as the previous one is answered,
    /// until `seconds` have passed or `countMax` pushes were sent.
    func closedLoop(clients: Int, seconds: Double, countMax: Int) async -> Outcome {
        let next = Ticket()
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .seconds(seconds)
        var total = await withTaskGroup(of: Outcome.self) { group in
            for _ in 0..<clients {
                group.addTask {
                    var mine = Outcome()
                    while clock.now < deadline {
                        let index = next.take()
                        guard index < countMax else { break }
                        let sent = clock.now
                        mine.record(
                            await push(index), latencyMs: (clock.now - sent).seconds * 1000,
                            sentAt: (sent - start).seconds)
                    }
                    return mine
                }
            }
            return await group.reduce(into: Outcome()) { $0.merge($1) }
        }
        total.seconds = (clock.now - start).seconds
        return total
    }
}

/// Hands out push indexes to the closed loop's workers.
final class Ticket: Sendable {
    private let next = Atomic<Int>(0)
    func take() -> Int { next.add(1, ordering: .relaxed).oldValue }
}

extension PaymentLoad.Outcome {
    mutating func record(_ result: Result<String, PaymentLoad.PushFailure>, latencyMs: Double, sentAt: Double) {
        sent += 1
        latenciesMs.append(latencyMs)
        sentAtSeconds.append(sentAt)
        switch result {
        case .success(let id): acceptedIDs.append(id)
        case .failure(let failure): failures[failure.kind, default: 0] += 1
        }
    }

    /// The `fraction` quantile of the latencies (nearest rank), in ms.
    func latencyMs(quantile fraction: Double) -> Double {
        latenciesMs.sorted().nearestRank(fraction)
    }

    /// The p99 of the pushes sent in each whole second of the phase, as min / median / max (ms), and which
    /// second (from 0) had the max: a stall shows as a high max next to a low median, steady overload as a
    /// high median, and the max's second tells whether slow seconds keep coming at the same point of a phase.
    var perSecondP99Summary: String {
        let p99s = latenciesByWindow(width: 1).map {
            (second: $0.key, p99: Self(latenciesMs: $0.value).latencyMs(quantile: 0.99))
        }
            .sorted { $0.p99 < $1.p99 }
        guard let slowest = p99s.last else { return "-" }
        return [p99s[0].p99, p99s[p99s.count / 2].p99, slowest.p99]
            .map { String(format: "%.1f", $0) }.joined(separator: " / ") + " (s\(slowest.second))"
    }
}

extension PaymentLoad.Outcome {
    /// The latencies of the pushes sent (open loop: due) in each `width`-second window of the phase, by the
    /// window's number from the phase's start.
    func latenciesByWindow(width: Double) -> [Int: [Double]] {
        var windows: [Int: [Double]] = [:]
        for (latency, sentAt) in zip(latenciesMs, sentAtSeconds) {
            windows[Int(sentAt / width), default: []].append(latency)
        }
        return windows
    }

    /// The `count` slowest `width`-second windows of an open-loop phase, by the slowest push due in each:
    /// "73717.6 (s8.8): 108.3 ms" gives the window's start on CLOCK_MONOTONIC, then from the phase's start.
    func slowestWindows(count: Int = 3, width: Double = 0.1) -> String? {
        guard let start = monotonicStartSeconds else { return nil }
        let slowest = latenciesByWindow(width: width).mapValues { $0.max() ?? 0 }
        return slowest.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(count).map { window, latency in
            let offset = Double(window) * width
            return String(format: "%.1f (s%.1f): %.1f ms", start + offset, offset, latency)
        }.joined(separator: "; ")
    }
}

extension [Double] {
    /// The `fraction` quantile of these sorted values by nearest rank (0 when empty).
    func nearestRank(_ fraction: Double) -> Double {
        guard !isEmpty else { return 0 }
        let rank = Int((fraction * Double(count)).rounded(.up)) - 1
        return self[Swift.min(Swift.max(rank, 0), count - 1)]
    }
}
