import ArgumentParser
import Foundation
import PesaCLI
import PesaCore
import PesaStore

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract:
            "Check every journal line, hash chain, snapshot, credentials vault and callback token key of the "
                + "data folder.",
        discussion: """
            Exits 0 when everything is intact; otherwise 1, naming the file and line of every problem.
            Only reads, so it may run beside a server writing the same folder.
            """)

    @OptionGroup var options: DataOptions

    func run() throws {
        try options.directory.checkExisting()
        let vault = try options.existingMasterKey().map { CredentialVault(masterKey: $0) }
        if vault == nil { CLI.warn("no master key configured: credentials vaults are not checked") }
        let verifier = TenantVerifier(io: PosixFileIO())
        let progress: @Sendable (String) -> Void = { CLI.warn($0) }
        var problems = 0
        var targets: [(label: String, directory: String, id: String)] = []
        if options.tenant == nil { targets.append(("system", options.directory.systemRoot, "system")) }
        for manifest in try options.tenants() {
            targets.append(
                ("\(manifest.id) (\(manifest.slug))", options.directory.tenantDirectory(manifest.id), manifest.id))
        }
        for target in targets {
            let report = try StateKinds.verify(
                verifier, directory: target.directory, tenantID: target.id, vault: target.id == "system" ? nil : vault,
                progress: progress)
            for problem in report.problems { print(problem.description) }
            problems += report.problems.count
            let status = report.isClean ? "ok" : "\(report.problems.count) problem(s)"
            print("\(target.label): \(report.lines) lines, head seq \(report.head.seq) \(report.head.hash), "
                + "\(report.snapshotsChecked) snapshot(s) checked (\(report.snapshotsCompared) also against a replay; "
                + "not the others: of an older state format, or after a line that could not be replayed): \(status)")
        }
        if DirectoryLock.isHeld(dataDirectory: options.data) {
            CLI.warn("a server holds this folder: a torn tail reported above may be a write in progress")
        }
        if problems > 0 { throw ExitCode(1) }
    }
}
