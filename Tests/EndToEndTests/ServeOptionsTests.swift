import Foundation
import PesaTesting
import Testing

/// `pesa serve --snapshot-every-events` (env `PESA_SNAPSHOT_EVERY_EVENTS`) and the connection timeouts and
/// caps: a bad value stops the server before it touches the data folder, with a message naming the option; a
/// good one starts it.
@Suite(.serialized) struct ServeOptionsTests {
    @Test(arguments: [["--snapshot-every-events", "999"], ["--snapshot-every-events", "1000000001"]])
    func aSnapshotIntervalOutOfRangeIsRefused(arguments: [String]) async throws {
        let temp = TemporaryDirectory("serve-options")
        defer { temp.remove() }
        let result = try await PesaBinary.run(
            ["serve", "--data", temp.path, "--port", "0"] + arguments, timeoutSeconds: 30)
        #expect(result.status != 0)
        #expect(result.stderr.contains("--snapshot-every-events must be 1,000 to 1,000,000,000"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: temp.path + "/tenants"))
    }

    @Test(arguments: [
        (["--idle-timeout-seconds", "0"], "--idle-timeout-seconds must be 1 to 3600"),
        (["--request-head-timeout-seconds", "3601"], "--request-head-timeout-seconds must be 1 to 3600"),
        (["--request-body-timeout-seconds=-1"], "--request-body-timeout-seconds must be 1 to 3600"),
        (["--connections-max", "10", "--connections-per-address-max", "11"],
         "--connections-per-address-max must be 1 to --connections-max (10)"),
        (["--connections-max=-5"], "--connections-max and --connections-per-address-max must not be negative"),
    ])
    func aConnectionTimeoutOrCapOutOfRangeIsRefused(arguments: [String], message: String) async throws {
        let temp = TemporaryDirectory("serve-options-connections")
        defer { temp.remove() }
        let result = try await PesaBinary.run(
            ["serve", "--data", temp.path, "--port", "0"] + arguments, timeoutSeconds: 30)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: temp.path + "/tenants"))
    }

    @Test func aSnapshotIntervalInRangeStartsTheServer() async throws {
        let temp = TemporaryDirectory("serve-options-ok")
        defer { temp.remove() }
        let server = ServerProcess(dataDirectory: temp.path, environment: ["PESA_SNAPSHOT_EVERY_EVENTS": "1000"])
        try await server.start()
        defer { server.stop() }
        #expect(try await server.request("GET", "/healthz").0 == 200)
    }
}
