import AsyncHTTPClient
import Foundation
import NIOHTTP1
import PesaCLI

/// Reads back, through the API, what the gateway durably recorded: which payments succeeded and when
/// (`updated_at` of a succeeded payment is the time its settlement was journaled).
struct PaymentReadback: Sendable {
    let gateway: BenchGateway
    let http: HTTPClient
    static let pagesMax = 10_000

    struct Recorded: Sendable {
        let status: String
        let updatedAtMs: Int64
        var shortCode = ""
    }

    private struct Page: Decodable {
        struct Item: Decodable {
            let id: String
            let status: String
            let updatedAt: String
            let shortCode: String?
            enum CodingKeys: String, CodingKey {
                case id, status
                case updatedAt = "updated_at"
                case shortCode = "short_code"
            }
        }
        let data: [Item]
        let nextCursor: String?
        enum CodingKeys: String, CodingKey {
            case data
            case nextCursor = "next_cursor"
        }
    }

    /// Waits until no payment of the organization is pending any more, at most `seconds`; false on timeout.
    func waitUntilNonePending(seconds: Double) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            let page = try await read("/v1/transactions?status=pending&limit=1")
            if page.data.isEmpty { return true }
            try await Task.sleep(for: .milliseconds(200))
        } while Date() < deadline
        return false
    }

    /// Every payment of the organization, by id.
    func all() async throws -> [String: Recorded] {
        var recorded: [String: Recorded] = [:]
        var cursor: String?
        for _ in 0..<Self.pagesMax {
            let page = try await read("/v1/transactions?limit=500" + (cursor.map { "&cursor=\($0)" } ?? ""))
            for item in page.data {
                recorded[item.id] = Recorded(
                    status: item.status, updatedAtMs: try Self.milliseconds(item.updatedAt),
                    shortCode: item.shortCode ?? "")
            }
            guard let next = page.nextCursor else { return recorded }
            cursor = next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? next
        }
        throw CLIError("more than \(Self.pagesMax) pages of transactions")
    }

    private func read(_ path: String) async throws -> Page {
        let (status, body) = try await gateway.send(http, .GET, path)
        guard status == 200 else { throw CLIError("GET \(path) answered \(status): \(body)") }
        return try JSONDecoder().decode(Page.self, from: Data(body.utf8))
    }

    static func milliseconds(_ rfc3339: String) throws -> Int64 {
        let date = try Date(rfc3339, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        return Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
}

/// "kind: count, ..." sorted by kind, or "none".
func countSummary(_ counts: [String: Int]) -> String {
    counts.isEmpty ? "none" : counts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
}

/// How many of a phase's accepted payments completed (succeeded, read back), and how fast.
struct Completions: Sendable {
    var completed = 0
    /// Accepted payments in any other state, by status.
    var others: [String: Int] = [:]
    /// Completed payments by their short code.
    var byShortCode: [String: Int] = [:]
    /// Completed per second, from the first completion to the last.
    var perSecond = 0.0
    /// Completions in each whole second from the first one (the last, partial second left out).
    var buckets: [Int] = []
    var firstMs: Int64 = 0
    var lastMs: Int64 = 0

    init(ids: [String], recorded: [String: PaymentReadback.Recorded]) {
        var times: [Int64] = []
        for id in ids {
            guard let payment = recorded[id] else {
                others["missing", default: 0] += 1
                continue
            }
            if payment.status == "succeeded" {
                times.append(payment.updatedAtMs)
                byShortCode[payment.shortCode, default: 0] += 1
            } else {
                others[payment.status, default: 0] += 1
            }
        }
        completed = times.count
        guard let first = times.min(), let last = times.max() else { return }
        firstMs = first
        lastMs = last
        perSecond = last > first ? Double(times.count) / (Double(last - first) / 1000) : Double(times.count)
        let wholeSeconds = Int((last - first) / 1000)
        buckets = [Int](repeating: 0, count: wholeSeconds)
        for time in times {
            let second = Int((time - first) / 1000)
            if second < wholeSeconds { buckets[second] += 1 }
        }
    }

    /// "min / median / max" completions per whole second, or "-" when the phase lasted under two seconds.
    var bucketSummary: String {
        guard buckets.count >= 2 else { return "-" }
        let sorted = buckets.sorted()
        return "\(sorted[0]) / \(sorted[sorted.count / 2]) / \(sorted[sorted.count - 1])"
    }

    var otherSummary: String { countSummary(others) }
}
