import Foundation
import PesaCLI
import PesaCore
import PesaEngine
import PesaStore

/// Which state each kind of folder replays into (the reducers live in PesaCore).
enum StateKinds {
    /// The state of an organization's folder.
    typealias Tenant = TenantState
    /// The state of the instance's system/ folder.
    typealias System = ChainOnlyState

    static func verify(
        _ verifier: TenantVerifier, directory: String, tenantID: String, vault: CredentialVault?,
        progress: @escaping @Sendable (String) -> Void
    ) throws -> TenantVerifier.Report {
        if tenantID == "system" {
            return try verifier.verify(
                directory: directory, tenantID: tenantID, as: System.self, vault: nil, hasManifest: false,
                progress: progress)
        }
        let tokenCheck = vault.flatMap { vault in
            callbackTokenCheck(directory: directory, tenantID: tenantID, vault: vault)
        }
        let vaultCheck = vault.flatMap { vault in shortCodeCheck(directory: directory, tenantID: tenantID, vault: vault)
        }
        return try verifier.verify(
            directory: directory, tenantID: tenantID, as: Tenant.self, vault: vault, progress: progress,
            check: { state in (tokenCheck?(state) ?? []) + (vaultCheck?(state) ?? []) + sharedReceiptProblems(state) })
    }

    /// Whether the vault holds the secrets of every short-code profile the journal names (with the master key
    /// only; a vault that does not open is reported by the vault check instead).
    static func shortCodeCheck(directory: String, tenantID: String, vault: CredentialVault) -> ((Tenant) -> [String])?
    {
        let plaintext: [UInt8]?
        do {
            plaintext = try TenantStore.readCredentials(
                directory: directory, tenantID: tenantID, vault: vault, io: PosixFileIO())
        } catch {
            return nil
        }
        return { state in ShortCodeVaultCheck.problems(vaultPlaintext: plaintext, state: state) }
    }

    /// Two payments holding one M-Pesa receipt: money counted twice, or one payment settled by another's result.
    static func sharedReceiptProblems(_ state: Tenant) -> [String] {
        state.payments.sharedReceipts().map { shared in
            "receipt \(shared.receipt) is held by \(shared.payments.count) payments: "
                + shared.payments.map(\.rawValue).joined(separator: ", ")
        }
    }

    /// Whether the organization's sealed callback tokens open under its `callback-token.key` (with the master
    /// key only; a key file that does not open is reported by the vault check instead).
    static func callbackTokenCheck(directory: String, tenantID: String, vault: CredentialVault) -> (
        (Tenant) -> [String]
    )? {
        let keyFile: [UInt8]?
        do {
            keyFile = try TenantStore.readCallbackTokenKey(
                directory: directory, tenantID: tenantID, vault: vault, io: PosixFileIO())
        } catch {
            return nil
        }
        return { state in
            state.organization.map { CallbackTokenSealing.problems(of: $0, keyFile: keyFile) } ?? []
        }
    }

    /// Opens a tenant (running recovery), snapshots it at its head and compacts it.
    static func compactTenant(directory: String, tenantID: String, nowMs: Int64, graceMs: Int64) async throws
        -> TenantStore.CompactionReport
    {
        let (store, state, report) = try TenantStore.open(
            directory: directory, tenantID: tenantID, as: Tenant.self, io: PosixFileIO(),
            logger: CLI.stderrLogger("pesa.compact"))
        if report.head.seq > 0 && report.snapshotSeq != report.head.seq {
            try await store.writeSnapshot(state, at: report.head, atMs: nowMs)
        }
        let compaction = try await store.compact(nowMs: nowMs, graceMs: graceMs)
        await store.close()
        return compaction
    }
}
