import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One HTTP/1.1 request over a TCP socket whose source address is chosen (`bind()` before `connect()`), so a
/// test can call the server from 127.0.0.2 or 127.0.0.3: Linux routes all of 127.0.0.0/8 to loopback, and the
/// server sees each as a different client address. `Connection: close`; the answer is read to the end.
public struct BoundLoopbackClient: Sendable {
    public let sourceAddress: String
    public let port: Int

    public init(sourceAddress: String, port: Int) {
        self.sourceAddress = sourceAddress
        self.port = port
    }

    /// POSTs `json` to `path` on 127.0.0.1; returns the status, the headers (lowercased names) and the JSON body.
    public func post(_ path: String, json: [String: String]) throws -> (Int, [String: String], [String: Any]?) {
        let body = try JSONSerialization.data(withJSONObject: json)
        let head =
            "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        let answer = try exchange(Data(head.utf8) + body)
        guard let end = answer.range(of: Data("\r\n\r\n".utf8)) else { throw ServerError("no HTTP head") }
        let lines = String(decoding: answer[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = (lines.first ?? "").split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw ServerError("no status line") }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[line[..<colon].lowercased()] = value
        }
        let json = try? JSONSerialization.jsonObject(with: answer[end.upperBound...]) as? [String: Any]
        return (status, headers, json)
    }

    /// Sends `request` and reads until the server closes the connection.
    func exchange(_ request: Data) throws -> Data {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError("socket: errno \(errno)") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var source = try Self.address(sourceAddress, port: 0)
        var target = try Self.address("127.0.0.1", port: port)
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &source) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw ServerError("bind \(sourceAddress): errno \(errno)") }
        let connected = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, length) }
        }
        guard connected == 0 else { throw ServerError("connect: errno \(errno)") }
        try request.withUnsafeBytes { bytes in
            var sent = 0
            while sent < bytes.count {
                let count = send(fd, bytes.baseAddress?.advanced(by: sent), bytes.count - sent, 0)
                guard count > 0 else { throw ServerError("send: errno \(errno)") }
                sent += count
            }
        }
        var answer = Data()
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count >= 0 else { throw ServerError("recv: errno \(errno)") }
            if count == 0 { return answer }
            answer.append(contentsOf: buffer[0..<count])
        }
    }

    static func address(_ text: String, port: Int) throws -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, text, &address.sin_addr) == 1 else { throw ServerError("not an address: \(text)") }
        return address
    }
}
