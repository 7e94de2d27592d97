import ArgumentParser
import Foundation
import Logging
import PesaAPI
import PesaCLI
import PesaCore
import PesaEngine
import PesaStore
import Prometheus

struct AdminCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin", abstract: "Manage super admins.", subcommands: [CreateAdminCommand.self])
}

/// `pesa admin create --email E`: asks for a password (or reads PESA_ADMIN_PASSWORD) and creates a super admin.
/// An offline command: refuses while a server holds the data folder.
struct CreateAdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a super admin.")

    @Option(help: "The admin's email.")
    var email: String

    @Option(help: "Data folder (env PESA_DATA).")
    var data: String = ProcessInfo.processInfo.environment["PESA_DATA"] ?? "./data"

    @Option(help: "File with the base64 master key.")
    var masterKeyFile: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let password = try environment["PESA_ADMIN_PASSWORD"] ?? Self.askPassword()
        guard password.utf8.count >= 10 else { throw CLIError("the password must be at least 10 characters") }
        let folder = DataDirectory(root: data)
        try folder.prepare()
        let lock = try DirectoryLock.acquire(dataDirectory: data, purpose: "admin create")
        let logger = CLI.stderrLogger("pesa.admin")
        let key = try MasterKey.load(
            environment: environment, keyFile: masterKeyFile, dataDirectory: data, io: PosixFileIO(), logger: logger)
        let gateway = try await Gateway.start(data: folder, masterKey: key, logger: logger)
        let api = await GatewayAPI.make(gateway: gateway, metricsRegistry: PrometheusCollectorRegistry())
        let user = try await gateway.createSuperAdmin(
            email: email, passwordHash: try await api.passwordHasher.hash(password))
        await gateway.close()
        withExtendedLifetime(lock) {}
        print("super admin \(user.email) created (\(user.id.rawValue))")
    }

    static func askPassword() throws -> String {
        guard let entered = getpass("password (10+ characters): ") else { throw CLIError("no password given") }
        return String(cString: entered)
    }
}
