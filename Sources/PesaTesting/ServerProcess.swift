import AsyncHTTPClient
public import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOHTTP1
import PesaCLI

/// A real `pesa serve` process on a loopback port, for end-to-end tests: started, waited for, called over
/// HTTP, stopped (gracefully or with SIGKILL) and started again on the same data folder.
public final class ServerProcess: @unchecked Sendable {
    public let dataDirectory: String
    /// Drawn at random among the ports nothing listens on; drawn again when the first start finds it taken
    /// meanwhile (tests and benchmarks start servers side by side).
    public private(set) var port: Int
    private var started = false
    public let environment: [String: String]
    private var process: Process?
    public private(set) var output = ""


    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public init(dataDirectory: String, environment: [String: String] = [:]) {
        self.dataDirectory = dataDirectory
        self.port = LoopbackPort.free()
        self.environment = environment
    }

    /// Starts `pesa serve` (plus `arguments`) and waits until /healthz answers. Should another process take the
    /// port between its draw and the start, this server exits at once: a first start then tries another port.
    public func start(_ arguments: [String] = [], timeoutSeconds: Double = 30) async throws {
        for attempt in 1...5 {
            if try await launch(arguments, timeoutSeconds: timeoutSeconds) { break }
            guard !started, attempt < 5 else { throw ServerError("pesa serve exited: \(output)") }
            port = LoopbackPort.free()
        }
        started = true
    }

    /// One start: true once /healthz answers while this process runs; false if it exited first.
    private func launch(_ arguments: [String], timeoutSeconds: Double) async throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PesaBinary.path)
        process.arguments = [
            "serve", "--data", dataDirectory, "--port", String(port), "--log-level", "warning", "--bcrypt-cost", "4",
            "--sandbox-callback-delay-ms", "20",
        ] + arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "PESA_MASTER_KEY")
        env.merge(environment) { $1 }
        process.environment = env
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let text = String(decoding: handle.availableData, as: UTF8.self)
            self?.append(text)
        }
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while Date() < deadline {
            if let (status, _, _) = try? await raw("GET", "/healthz", timeoutSeconds: 2), status == 200,
                process.isRunning
            {
                return true
            }
            guard process.isRunning else {
                self.process = nil
                return false
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ServerError(
            "pesa serve did not become healthy in \(timeoutSeconds) s; it printed: \(printed.suffix(2_000))")
    }

    private let lock = NSLock()
    private func append(_ text: String) {
        lock.lock()
        output += text
        lock.unlock()
    }

    /// The first match of the regular expression `pattern` in what the server printed, waiting up to `seconds`
    /// for it: the output comes through a pipe, so a line may be read a moment after the server answers.
    public func printedMatch(_ pattern: String, seconds: Double = 10) async throws -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let text = printed
            if let range = text.range(of: pattern, options: .regularExpression) { return String(text[range]) }
            guard Date() < deadline else { return nil }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    public var printed: String {
        lock.lock()
        defer { lock.unlock() }
        return output
    }

    /// SIGTERM and wait (graceful), or SIGKILL (a crash).
    public func stop(kill: Bool = false) {
        guard let process, process.isRunning else { return }
        if kill {
            Foundation.kill(process.processIdentifier, SIGKILL)
        } else {
            process.terminate()
        }
        process.waitUntilExit()
        self.process = nil
    }

    public var exitStatus: Int32? { process?.isRunning == false ? process?.terminationStatus : nil }

    /// One HTTP request; returns the status and the JSON body (or nil).
    public func request(
        _ method: String, _ path: String, token: String? = nil, json: Any? = nil, body: Data? = nil,
        headers: [String: String] = [:]
    ) async throws -> (Int, [String: Any]?) {
        let (status, data, _) = try await raw(method, path, token: token, json: json, body: body, headers: headers)
        return (status, (try? JSONSerialization.jsonObject(with: data)) as? [String: Any])
    }

    public func raw(
        _ method: String, _ path: String, token: String? = nil, json: Any? = nil, body: Data? = nil,
        headers: [String: String] = [:], timeoutSeconds: Int64 = 30
    ) async throws -> (Int, Data, [String: String]) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = HTTPMethod(rawValue: method)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.body = .bytes(ByteBuffer(bytes: Array(try JSONSerialization.data(withJSONObject: json))))
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        if let body { request.body = .bytes(ByteBuffer(bytes: Array(body))) }
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        // A client per request: a pooled connection to a server killed meanwhile must never be reused.
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let response = try await client.execute(request, timeout: .seconds(timeoutSeconds))
            var buffer = try await response.body.collect(upTo: 16 << 20)
            let data = Data(buffer.readBytes(length: buffer.readableBytes) ?? [])
            var fields: [String: String] = [:]
            for header in response.headers { fields[header.name.lowercased()] = header.value }
            try await client.shutdown()
            return (Int(response.status.code), data, fields)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}

public struct ServerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
