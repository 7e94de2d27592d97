import ArgumentParser
import Foundation
import PesaCLI
import PesaStore

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Manage the master key.", subcommands: [RotateKeysCommand.self])
}

struct RotateKeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Re-encrypt every tenant's credentials and callback token key under a new master key.",
        discussion: """
            The current key comes from PESA_MASTER_KEY, --master-key-file or DATA/master.key. The new key is read
            from --new-master-key-file, or generated and written there (mode 0600). When the current key is
            DATA/master.key, that file is replaced by the new key at the end (the old one is kept as
            master.key.retired-<time>). An interrupted rotation can be run again: vaults already under the new
            key are left alone. Refuses to run while a server holds the data folder.
            """)

    @OptionGroup var options: DataOptions

    @Option(help: "File with the new base64 master key; created with a new key when it does not exist.")
    var newMasterKeyFile: String?

    func run() throws {
        try options.directory.checkExisting()
        let lock = try DirectoryLock.acquire(dataDirectory: options.data, purpose: "keys rotate")
        defer { _ = lock }
        guard let current = try options.existingMasterKey() else { throw CLIError("no current master key found") }
        let io = PosixFileIO()
        let defaultPath = options.data + "/" + MasterKey.defaultFileName
        let newPath = newMasterKeyFile ?? defaultPath + ".next"
        let (new, created) = try MasterKey.readOrCreate(at: newPath, io: io)
        if created { print("new master key written to \(newPath) (mode 0600): back it up separately") }
        guard new.id != current.id else { throw CLIError("the new key is the current key") }
        let report = try KeyRotation(data: options.directory, from: current, to: new).run { CLI.warn($0) }
        print(
            "re-encrypted \(report.rotated.count) tenant(s), \(report.alreadyRotated.count) already under the new key, "
            + "\(report.withoutVault.count) with neither credentials nor a callback token key")
        let usesDefaultFile = options.masterKeyFile == nil
            && (ProcessInfo.processInfo.environment[MasterKey.environmentVariable] ?? "").isEmpty
        if usesDefaultFile && newMasterKeyFile == nil {
            let retired = try MasterKey.installRotated(
                newKeyFile: newPath, dataDirectory: options.data, retiredAtSeconds: Int64(Date().timeIntervalSince1970),
                io: io)
            print("\(defaultPath) now holds the new key; the old one is kept as \(retired)")
        } else {
            print("now configure the new key (\(new.id)) in place of the old one (\(current.id)) and restart")
        }
    }
}
