import Foundation
import PesaTesting
import Testing

/// `pesa serve --snapshot-every-events` (env `PESA_SNAPSHOT_EVERY_EVENTS`): a bad value stops the server
/// before it touches the data folder, with a message naming the option; a good one starts it.
@Suite(.serialized) struct ServeOptionsTests {
    @Test(arguments: [["--snapshot-every-events", "999"], ["--snapshot-every-events", "1000000001"]])
    func aSnapshotIntervalOutOfRangeIsRefused(arguments: [String]) throws {
        let temp = TemporaryDirectory("serve-options")
        defer { temp.remove() }
        let result = try PesaBinary.run(["serve", "--data", temp.path, "--port", "0"] + arguments, timeoutSeconds: 30)
        #expect(result.status != 0)
        #expect(result.stderr.contains("--snapshot-every-events must be 1,000 to 1,000,000,000"), "\(result.stderr)")
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
