import AsyncHTTPClient
public import Foundation
import NIOCore
import NIOHTTP1

/// `pesa sandbox` as its own process on a loopback port, for end-to-end tests whose gateway is killed and
/// restarted: the sandbox (Daraja's side, with its ledger of accounts) lives on across the gateway's crashes.
public final class SandboxProcess: @unchecked Sendable {
    public let port: Int
    private var process: Process?

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public init() {
        // Below Linux's ephemeral range, away from `ServerProcess`'s ports.
        port = Int.random(in: 15_000...19_999)
    }

    /// Starts `pesa sandbox` (plus `arguments`) and waits until it serves its certificate.
    public func start(_ arguments: [String] = [], timeoutSeconds: Double = 30) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PesaBinary.path)
        process.arguments = ["sandbox", "--port", String(port)] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while Date() < deadline {
            if (try? await certificate()) != nil { return }
            guard process.isRunning else { throw ServerError("pesa sandbox exited") }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ServerError("pesa sandbox did not answer in \(timeoutSeconds) s")
    }

    /// The PEM of the sandbox's certificate, which encrypts initiator passwords for it.
    public func certificate() async throws -> String {
        let (status, data) = try await request("GET", "/sandbox/certificate.pem")
        guard status == 200 else { throw ServerError("certificate: HTTP \(status)") }
        return String(decoding: data, as: UTF8.self)
    }

    public func stop() {
        guard let process, process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
        self.process = nil
    }

    /// One request to the sandbox (Daraja's own routes).
    public func request(
        _ method: String, _ path: String, headers: [String: String] = [:], body: Data? = nil
    ) async throws -> (Int, Data) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: Array(body))) }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let response = try await client.execute(request, timeout: .seconds(10))
            var buffer = try await response.body.collect(upTo: 1 << 20)
            let data = Data(buffer.readBytes(length: buffer.readableBytes) ?? [])
            try await client.shutdown()
            return (Int(response.status.code), data)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}
