import Foundation

/// Runs the `pesa` executable, or `pesa-bench`, built beside the test bundle (swift build builds both with
/// the tests).
public enum PesaBinary {
    public struct Output: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// The path of the built `pesa`, found next to the running test binary.
    public static var path: String { path(of: "pesa") }

    /// The path of the built benchmark executable.
    public static var benchPath: String { path(of: "pesa-bench") }

    /// The path of the built executable `name`, found next to the running test binary.
    public static func path(of name: String) -> String {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = runner.deletingLastPathComponent()
        // On Linux the runner is <build>/debug/<package>PackageTests.xctest; on macOS it may sit inside a bundle.
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return name
    }

    /// Runs `pesa` (or `executable`) with arguments and extra environment; waits at most `timeoutSeconds`, on a
    /// thread of its own (`Blocking`).
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], timeoutSeconds: Double = 60,
        executable: String = PesaBinary.path
    ) async throws -> Output {
        try await Blocking.run {
            try runBlocking(arguments, environment: environment, timeoutSeconds: timeoutSeconds, executable: executable)
        }
    }

    static func runBlocking(
        _ arguments: [String], environment: [String: String], timeoutSeconds: Double, executable: String
    ) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "PESA_MASTER_KEY")
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
