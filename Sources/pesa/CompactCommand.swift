import ArgumentParser
import Foundation
import PesaCLI
import PesaCore
import PesaStore

struct CompactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract: "Snapshot each tenant and move the journal segments the snapshot covers into archive/.",
        discussion: """
            Refuses to run while a server holds the data folder (the server compacts by itself).
            Nothing is deleted: archived segments are kept, compressed, forever.
            """)

    @OptionGroup var options: DataOptions

    @Option(help: "Remove a live segment only when its archive is at least this many seconds old.")
    var graceSeconds: Int64 = Limits.supersededFileGraceMs / 1000

    func run() async throws {
        try options.directory.checkExisting()
        let lock = try DirectoryLock.acquire(dataDirectory: options.data, purpose: "compact")
        defer { _ = lock }
        let nowMs = Int64(Date().timeIntervalSince1970 * 1000)
        for manifest in try options.tenants() {
            CLI.warn("\(manifest.id): loading")
            let report = try await StateKinds.compactTenant(
                directory: options.directory.tenantDirectory(manifest.id), tenantID: manifest.id, nowMs: nowMs,
                graceMs: graceSeconds * 1000)
            print("\(manifest.id): snapshot at seq \(report.snapshotSeq ?? 0), \(report.archived.count) segment(s) "
                + "archived, \(report.removed.count) live segment(s) removed after their grace period")
        }
    }
}
