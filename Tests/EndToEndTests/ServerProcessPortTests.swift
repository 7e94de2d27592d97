import Foundation
import PesaCLI
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
        let holder = try #require(LoopbackPort.listen(on: drawn), "port \(drawn) was free when drawn")
        defer { close(holder) }
        try await server.start()
        defer { server.stop() }
        #expect(server.port != drawn)
        #expect(try await server.request("GET", "/healthz").0 == 200)
        #expect(server.printed.contains("already in use"), "\(server.printed)")
    }
}
