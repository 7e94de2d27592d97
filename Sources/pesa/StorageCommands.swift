import ArgumentParser
import Foundation
import PesaCLI
import PesaCore
import PesaStore

/// Options every offline storage command takes.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "The data folder (env PESA_DATA; default ./data).")
    var data: String = ProcessInfo.processInfo.environment["PESA_DATA"] ?? "./data"

    @Option(name: .long, help: "Only this tenant (organization id, e.g. org_…).")
    var tenant: String?

    @Option(name: .long, help: "File holding the base64 master key (default: PESA_MASTER_KEY, then DATA/master.key).")
    var masterKeyFile: String?

    var directory: DataDirectory { DataDirectory(root: data) }

    /// The tenants to work on: one, or every folder under tenants/.
    func tenants() throws -> [TenantManifest] {
        let found = try directory.discoverTenants()
        var manifests: [TenantManifest] = []
        for tenant in found {
            switch tenant.manifest {
            case .success(let manifest): manifests.append(manifest)
            case .failure(let error): CLI.warn("skipping \(tenant.directory): \(error.message)")
            }
        }
        guard let only = tenant else { return manifests }
        guard let manifest = manifests.first(where: { $0.id == only || $0.slug == only }) else {
            throw CLIError("no tenant \(only) in \(data)/tenants")
        }
        return [manifest]
    }

    /// The configured master key, without creating one.
    func existingMasterKey() throws -> MasterKey? {
        try MasterKey.existing(
            environment: ProcessInfo.processInfo.environment, keyFile: masterKeyFile, dataDirectory: data,
            io: PosixFileIO())
    }
}
