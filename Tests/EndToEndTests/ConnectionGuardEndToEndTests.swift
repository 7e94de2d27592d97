import Foundation
import PesaTesting
import Testing

/// One client cannot take every tenant offline: the real `pesa serve` caps connections per client address
/// and in total (refusing past the cap at once), closes idle and half-sent connections within their
/// timeouts (408 in the error shape when a request was under way), keeps `/healthz` and `/readyz`
/// answering through a flood, and never executes a request whose client left before it started. Clients are
/// several loopback addresses (127.0.0.1 to .6) opening plain sockets.
@Suite(.serialized) struct ConnectionGuardEndToEndTests {
    static let healthRequest = "GET /healthz HTTP/1.1\r\nHost: pesa\r\nConnection: close\r\n\r\n"

    /// Opens `count` idle connections from `address`.
    func open(_ count: Int, from address: String, port: Int) throws -> [RawConnection] {
        try (0..<count).map { _ in try RawConnection(port: port, sourceAddress: address) }
    }

    /// `path`'s status asked from `address` on a fresh connection (nil: no answer within 5 s).
    func status(of path: String, from address: String, port: Int) throws -> Int? {
        let connection = try RawConnection(port: port, sourceAddress: address)
        connection.send("GET \(path) HTTP/1.1\r\nHost: pesa\r\nConnection: close\r\n\r\n")
        return connection.readResponse(forSeconds: 5)?.status
    }

    /// Whether `connection` is closed by the server within `seconds`, and how long it took.
    func closedAtOnce(_ connection: RawConnection, withinSeconds seconds: Double = 1) -> Bool {
        let started = Date()
        let (bytes, closed) = connection.read(forSeconds: seconds)
        return closed && bytes.isEmpty && Date().timeIntervalSince(started) < seconds
    }

    @Test func aFloodUpToTheCapsLeavesHealthAnsweringAndConnectionsPastThemAreClosedAtOnce() async throws {
        let temp = TemporaryDirectory("e2e-flood")
        defer { temp.remove() }
        let server = ServerProcess(dataDirectory: temp.path)
        try await server.start(["--connections-per-address-max", "8", "--connections-max", "40"])
        defer { server.stop() }
        var held = try open(8, from: "127.0.0.1", port: server.port)
        held += try open(8, from: "127.0.0.2", port: server.port)
        try await Task.sleep(for: .milliseconds(300))
        // The 16 held connections stay open: they are under the cap.
        for connection in held { #expect(connection.read(forSeconds: 0.01).closed == false) }
        // A ninth from a flooding address is closed at once, whatever it sends.
        let ninth = try RawConnection(port: server.port, sourceAddress: "127.0.0.2")
        ninth.send(Self.healthRequest)
        #expect(closedAtOnce(ninth))
        #expect(try status(of: "/healthz", from: "127.0.0.3", port: server.port) == 200)
        #expect(try status(of: "/readyz", from: "127.0.0.3", port: server.port) == 200)

        // Total cap: 16 + 24 = 40 connections; the 41st, from a fresh address, is closed at once.
        var more: [RawConnection] = []
        for address in ["127.0.0.3", "127.0.0.4", "127.0.0.5"] { more += try open(8, from: address, port: server.port) }
        try await Task.sleep(for: .milliseconds(300))
        let pastTotal = try RawConnection(port: server.port, sourceAddress: "127.0.0.6")
        #expect(closedAtOnce(pastTotal))
        // Once connections close, new ones are admitted again.
        for connection in more { connection.close() }
        var answered: Int?
        for _ in 0..<20 where answered != 200 {
            try await Task.sleep(for: .milliseconds(100))
            answered = try status(of: "/healthz", from: "127.0.0.6", port: server.port)
        }
        #expect(answered == 200)
        #expect(server.printed.contains("connections refused"), "\(server.printed)")
        withExtendedLifetime(held) {}
    }

    @Test func idleAndSlowConnectionsAreClosedWithinTheirTimeouts() async throws {
        let temp = TemporaryDirectory("e2e-slow")
        defer { temp.remove() }
        let server = ServerProcess(dataDirectory: temp.path)
        try await server.start([
            "--idle-timeout-seconds", "2", "--request-head-timeout-seconds", "1", "--request-body-timeout-seconds", "1",
        ])
        defer { server.stop() }

        // Idle: closed after about two seconds, without a word.
        let idle = try RawConnection(port: server.port)
        var started = Date()
        let (idleBytes, idleClosed) = idle.read(forSeconds: 6)
        #expect(idleClosed && idleBytes.isEmpty)
        #expect((1.5..<4.5).contains(Date().timeIntervalSince(started)))

        // Idle after an answer (keep-alive): closed as well.
        let kept = try RawConnection(port: server.port)
        kept.send("GET /healthz HTTP/1.1\r\nHost: pesa\r\n\r\n")
        #expect(kept.readResponse(forSeconds: 5)?.status == 200)
        #expect(kept.read(forSeconds: 6).closed)

        // Slowloris: a head trickling one header line every 300 ms is answered 408 a second after its start.
        let slowloris = try RawConnection(port: server.port)
        started = Date()
        slowloris.send("GET /healthz HTTP/1.1\r\nHost: pesa\r\n")
        var answer: [UInt8] = []
        var closed = false
        for line in 0..<20 where !closed {
            slowloris.send("X-Line-\(line): trickle\r\n")
            let (bytes, ended) = slowloris.read(forSeconds: 0.3)
            answer += bytes
            closed = ended
        }
        let headTimeout = try #require(RawResponse(answer))
        #expect(closed)
        #expect(headTimeout.status == 408)
        #expect(headTimeout.error?["code"] as? String == "REQUEST_TIMEOUT")
        #expect(headTimeout.error?["request_id"] as? String != nil)
        #expect(Date().timeIntervalSince(started) < 3.5)

        // A body that stops arriving: 408 in the error shape, then closed.
        let stalled = try RawConnection(port: server.port)
        started = Date()
        stalled.send(
            "POST /v1/payments/stk-push HTTP/1.1\r\nHost: pesa\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100\r\n\r\n{\"phone\":")
        let bodyTimeout = try #require(stalled.readResponse(forSeconds: 5))
        #expect(bodyTimeout.status == 408)
        #expect(bodyTimeout.error?["code"] as? String == "REQUEST_TIMEOUT")
        #expect(stalled.read(forSeconds: 3).closed)
        #expect(Date().timeIntervalSince(started) < 3.5)
        // HummingbirdCore logs a connection the guard closed while it waited on it (under load) as an error: noise.
        let errors = server.printed.split(separator: "\n").filter {
            $0.contains(" error ") && !$0.contains("[HummingbirdCore] Waiting on child channel: CancellationError()")
        }
        #expect(errors.isEmpty, "\(server.printed)")
    }

    @Test func aRequestWhoseClientLeftBeforeItStartedIsNotExecuted() async throws {
        let temp = TemporaryDirectory("e2e-abandoned")
        defer { temp.remove() }
        let server = ServerProcess(dataDirectory: temp.path)
        try await server.start(["--demo"])
        defer { server.stop() }
        let key = try await PaymentEndToEndTests().demoKey(server)
        func push(_ reference: String) -> String {
            let body = #"{"phone":"0708374149","amount":10,"account_reference":"\#(reference)","description":"E2E"}"#
            return "POST /v1/payments/stk-push HTTP/1.1\r\nHost: pesa\r\nAuthorization: Bearer \(key)\r\n"
                + "Content-Type: application/json\r\nIdempotency-Key: \(reference)\r\n"
                + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
        }
        // Two pipelined pushes, then the client leaves: the second waits behind the first (a Daraja round
        // trip and a journal write), so it is reached only after the server saw the client go.
        for round in 0..<5 {
            let client = try RawConnection(port: server.port)
            client.send(push("GONE-A\(round)") + push("GONE-B\(round)"))
            client.close()
        }
        try await Task.sleep(for: .seconds(2))
        let (status, list) = try await server.request("GET", "/v1/transactions?limit=100", token: key)
        #expect(status == 200)
        let references = ((list?["data"] as? [[String: Any]]) ?? []).compactMap { $0["account_reference"] as? String }
        #expect(!references.contains { $0.hasPrefix("GONE-B") }, "\(references)")
        // The server carries on: a push from a client that waits is made.
        let waiting = try RawConnection(port: server.port)
        waiting.send(push("STAYED"))
        #expect(waiting.readResponse(forSeconds: 10)?.status == 201)
    }
}
