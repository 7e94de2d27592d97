import Foundation
import PesaTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Tests and benchmarks start servers side by side on ports drawn at random: one taken between its draw and the
/// start is drawn again, and the server comes up on another.
@Suite struct ServerProcessPortTests {
    @Test func aPortTakenBeforeTheStartIsDrawnAgain() async throws {
        let temp = TemporaryDirectory("e2e-port")
        defer { temp.remove() }
        let server = ServerProcess(dataDirectory: temp.path)
        let drawn = server.port
        let holder = try #require(Self.listen(on: drawn), "port \(drawn) was free when drawn")
        defer { close(holder) }
        try await server.start()
        defer { server.stop() }
        #expect(server.port != drawn)
        #expect(try await server.request("GET", "/healthz").0 == 200)
        #expect(server.printed.contains("already in use"), "\(server.printed)")
    }

    /// A socket listening on 127.0.0.1:`port`, or nil.
    static func listen(on port: Int) -> Int32? {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, Glibc.listen(socket, 8) == 0 else {
            close(socket)
            return nil
        }
        return socket
    }
}
