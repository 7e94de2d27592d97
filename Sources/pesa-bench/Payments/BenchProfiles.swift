import AsyncHTTPClient
import Foundation
import NIOHTTP1
import PesaCLI

/// The collecting short-code profiles a payments run spreads its pushes over: the demo organization's paybill
/// 174379 and `count - 1` more, tills and paybills in turn, each a Daraja app of its own (its own consumer key,
/// secret and passkey, so its own OAuth token). The embedded sandbox learns their passkeys from
/// PESA_SANDBOX_PASSKEYS; the benchmark creates them through `POST /v1/short-codes` before measuring.
struct BenchProfiles: Sendable {
    static let demoShortCode = "174379"
    static let countMax = 16

    struct Profile: Sendable, Encodable {
        let label: String
        let environment = "sandbox"
        let shortCode: String
        let kind: String
        let tillNumber: String?
        let consumerKey: String
        let consumerSecret: String
        let passkey: String

        enum CodingKeys: String, CodingKey {
            case label, environment, kind, passkey
            case shortCode = "short_code"
            case tillNumber = "till_number"
            case consumerKey = "consumer_key"
            case consumerSecret = "consumer_secret"
        }
    }

    let extra: [Profile]

    /// `count` profiles in all (1 is the demo's paybill alone). The second is a till, the third a paybill, and
    /// so on; short codes 600111, 600112, …
    init(count: Int) {
        extra = (1..<max(count, 1)).map { index in
            let shortCode = String(600_110 + index)
            let till = index % 2 == 1
            return Profile(
                label: "Bench \(till ? "till" : "paybill") \(index)", shortCode: shortCode,
                kind: till ? "till" : "paybill", tillNumber: till ? String(700_110 + index) : nil,
                consumerKey: "bench-consumer-key-\(shortCode)", consumerSecret: "bench-consumer-secret-\(shortCode)",
                passkey: (0..<4).map { _ in String(format: "%016llx", UInt64.random(in: 0...UInt64.max)) }.joined())
        }
    }

    var count: Int { extra.count + 1 }

    /// Every profile's short code, the demo's first: what the pushes name, round-robin.
    var shortCodes: [String] { [Self.demoShortCode] + extra.map(\.shortCode) }

    /// PESA_SANDBOX_PASSKEYS for the gateway's embedded sandbox ("" for the demo's paybill alone).
    var sandboxPasskeys: String { extra.map { "\($0.shortCode)=\($0.passkey)" }.joined(separator: ",") }

    /// Creates the profiles in the demo organization, as the super admin naming it.
    func create(on gateway: BenchGateway, http: HTTPClient) async throws {
        guard !extra.isEmpty else { return }
        let token = try await gateway.adminToken(http: http)
        let encoder = JSONEncoder()
        for profile in extra {
            let body = String(decoding: try encoder.encode(profile), as: UTF8.self)
            let (status, answer) = try await gateway.send(
                http, .POST, "/v1/short-codes?org=\(gateway.organizationID)", body: body, token: token)
            guard status == 201 else {
                throw CLIError("creating short code \(profile.shortCode) failed (\(status)): \(answer)")
            }
        }
    }
}
