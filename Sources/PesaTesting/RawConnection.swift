#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A plain TCP connection for end-to-end tests that need bytes no HTTP client sends: idle, half-sent,
/// malformed or abandoned requests. It connects from a chosen loopback address (any of 127.0.0.0/8 on
/// Linux), so a test can be several clients at once.
public final class RawConnection {
    private var descriptor: Int32

    /// Connects to `host:port` from `sourceAddress` (port chosen by the system).
    public init(port: Int, host: String = "127.0.0.1", sourceAddress: String = "127.0.0.1") throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ServerError("socket: errno \(errno)") }
        var source = Self.address(sourceAddress, port: 0)
        var target = Self.address(host, port: port)
        let bound = withUnsafePointer(to: &source) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { defer { close() }; throw ServerError("bind \(sourceAddress): errno \(errno)") }
        let connected = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { defer { close() }; throw ServerError("connect: errno \(errno)") }
    }

    deinit { close() }

    private static func address(_ text: String, port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, text, &address.sin_addr)
        return address
    }

    /// Sends every byte; false when the peer has closed the connection.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    @discardableResult
    public func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Closes the sending side (the server reads the end of its input), keeps reading possible.
    public func shutdownWrite() { _ = shutdown(descriptor, Int32(SHUT_WR)) }

    /// Reads what arrives within `seconds`, stopping early when the peer closes; `closed` says whether it did.
    public func read(forSeconds seconds: Double) -> (bytes: [UInt8], closed: Bool) {
        let deadline = Date().addingTimeInterval(seconds)
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let remainingMs = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, remainingMs)
            guard ready > 0 else { return (bytes, false) }
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return (bytes, true) }
            bytes += buffer[0..<count]
        }
    }

    /// Reads one whole answer (head and `Content-Length` body) within `seconds`, or what came.
    public func readResponse(forSeconds seconds: Double) -> RawResponse? {
        let deadline = Date().addingTimeInterval(seconds)
        var bytes: [UInt8] = []
        while Date() < deadline {
            let (more, closed) = read(forSeconds: min(0.1, max(0, deadline.timeIntervalSinceNow)))
            bytes += more
            if let response = RawResponse(bytes), response.isComplete { return response }
            if closed { break }
        }
        return RawResponse(bytes)
    }

    public func close() {
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
        descriptor = -1
    }
}

/// An HTTP/1.1 answer read off a `RawConnection`.
public struct RawResponse {
    public let status: Int
    public let headers: [String: String]
    public let body: [UInt8]

    public init?(_ bytes: [UInt8]) {
        let separator = Array("\r\n\r\n".utf8)
        guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else { return nil }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = lines[0].split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[line[..<colon].lowercased()] = value
        }
        self.status = status
        self.headers = headers
        self.body = Array(bytes[(end + separator.count)...])
    }

    public var isComplete: Bool { body.count >= Int(headers["content-length"] ?? "0") ?? 0 }

    /// The `error` object of a contract-shaped error body.
    public var error: [String: Any]? {
        let object = try? JSONSerialization.jsonObject(with: Data(body))
        return (object as? [String: Any])?["error"] as? [String: Any]
    }
}
