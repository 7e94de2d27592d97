import Foundation

/// The `pesa` executable the benchmarks start: the one built beside `pesa-bench`.
enum PesaExecutable {
    static var besideThisOne: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("pesa").path
    }

    /// This executable, to run a child of it (a measurement in a fresh process).
    static var this: URL { URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath() }
}
