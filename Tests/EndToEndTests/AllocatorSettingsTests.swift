import Foundation
import PesaTesting
import Testing

/// `pesa serve` sets glibc's allocator thresholds at start-up, unless the operator set malloc options in
/// `GLIBC_TUNABLES`; it says which at info level.
@Suite(.serialized) struct AllocatorSettingsTests {
    func startupLog(environment: [String: String]) async throws -> String {
        let temp = TemporaryDirectory("alloc")
        defer { temp.remove() }
        let server = ServerProcess(dataDirectory: temp.path, environment: environment)
        try await server.start(["--log-level", "info"])
        defer { server.stop() }
        return server.printed
    }

    @Test func theServerKeepsLargeAllocationsInItsHeap() async throws {
        let log = try await startupLog(environment: [:])
        let expected = "glibc allocator: allocations up to 32 MiB from the heap, trimmed past 256 MiB free"
        #expect(log.contains(expected), "\(log)")
    }

    @Test func mallocOptionsInGlibcTunablesAreLeftToTheOperator() async throws {
        let log = try await startupLog(environment: ["GLIBC_TUNABLES": "glibc.malloc.tcache_count=16"])
        #expect(log.contains("glibc allocator: left as GLIBC_TUNABLES or the defaults set it"), "\(log)")
    }
}
