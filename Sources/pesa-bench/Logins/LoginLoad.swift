import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PesaCLI

/// Organizations, users and logins of the logins benchmark, against a `BenchGateway`.
struct LoginLoad: Sendable {
    struct User: Sendable {
        let email: String
        let password: String
    }

    /// Login latencies of one phase, in seconds.
    struct Latencies {
        var seconds: [Double]
        var refusedCount: Int

        var median: Double { percentile(0.5) }
        var p99: Double { percentile(0.99) }

        /// Nearest rank.
        func percentile(_ fraction: Double) -> Double {
            let sorted = seconds.sorted()
            guard !sorted.isEmpty else { return 0 }
            return sorted[min(sorted.count - 1, Int((fraction * Double(sorted.count)).rounded(.up)) - 1)]
        }

        func line(_ name: String) -> String {
            let ms = { (value: Double) in String(format: "%.0f ms", value * 1_000) }
            return "\(name): \(seconds.count) logins, median \(ms(median)), p99 \(ms(p99)), max "
                + "\(ms(seconds.max() ?? 0)), refused \(refusedCount)"
        }
    }

    let gateway: BenchGateway
    let http: HTTPClient

    /// Creates an organization named `slug` with `users` users (role `user`); returns their logins.
    func organization(_ slug: String, users: Int, admin: String) async throws -> [User] {
        let (created, body) = try await gateway.send(
            http, .POST, "/v1/orgs", body: #"{"name":"\#(slug)","slug":"\#(slug)"}"#, token: admin)
        guard created == 201, let id = BenchGateway.first("org_[a-z0-9]+", in: body) else {
            throw CLIError("creating \(slug) failed (\(created)): \(body)")
        }
        let logins = (0..<users).map { User(email: "user\($0)@\(slug).bench", password: "bench-password-\($0)") }
        for user in logins {
            let json = #"{"email":"\#(user.email)","password":"\#(user.password)","role":"user"}"#
            let (status, answer) = try await gateway.send(http, .POST, "/v1/orgs/\(id)/users", body: json, token: admin)
            guard status == 201 else { throw CLIError("creating \(user.email) failed (\(status)): \(answer)") }
        }
        return logins
    }

    /// One login; its status and how long it took.
    func login(_ user: User) async throws -> (Int, Double) {
        var request = HTTPClientRequest(url: gateway.baseURL + "/v1/auth/login")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(.init(string: #"{"email":"\#(user.email)","password":"\#(user.password)"}"#))
        let start = ContinuousClock.now
        let response = try await http.execute(request, timeout: .seconds(60))
        _ = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), (ContinuousClock.now - start).seconds)
    }

    /// `count` logins one after another, taking turns among `users`; a refused one (not 200) is counted apart.
    func timedLogins(_ count: Int, users: [User]) async throws -> Latencies {
        var latencies = Latencies(seconds: [], refusedCount: 0)
        for index in 0..<count {
            let (status, seconds) = try await login(users[index % users.count])
            if status == 200 { latencies.seconds.append(seconds) } else { latencies.refusedCount += 1 }
        }
        return latencies
    }
}
