import Crypto
import Foundation
import PesaCore
import PesaStore
import Synchronization

/// An organization's callback tokens at rest. A callback URL's token lets whoever holds it post results that
/// settle payments, and tenant folders are copied for backups, so a token is journaled sealed: AES-256-GCM under
/// the organization's callback token key, with the organization id as associated data. The key is 32 random
/// bytes in `callback-token.key`, sealed under the master key like the credentials vault, so `pesa keys rotate`
/// re-seals it and a copy of the folder without the master key cannot open a token. It is written once, before
/// the first sealed token, and never replaced (a new key could not open the tokens sealed under the old one).
///
/// Sealed text: `sealed:v1:` and the base64 of nonce (12 bytes), ciphertext and tag (16 bytes). Tokens
/// journaled before keys existed are plain text: they are used as they are until a rotation replaces them.
struct CallbackTokenSeal: Sendable {
    static let prefix = "sealed:v1:"

    let organizationID: String
    /// Nil for an organization without a key file (only plain-text tokens).
    let key: SymmetricKey?

    /// `token` as journaled. Only with a key: callers ask for one with `create: true` first.
    func seal(_ token: String) -> String {
        guard let key,
            let box = try? AES.GCM.seal(Array(token.utf8), using: key, authenticating: Array(organizationID.utf8)),
            let combined = box.combined
        else { preconditionFailure("sealing a callback token needs the organization's key") }
        return Self.prefix + combined.base64EncodedString()
    }

    /// The token a journaled value stands for: itself when plain text (journaled before keys existed), else
    /// the opened seal; nil when it cannot be opened (no key, another organization's, damaged).
    func open(_ stored: String) -> String? {
        guard stored.hasPrefix(Self.prefix) else { return stored }
        guard let key, let combined = Data(base64Encoded: String(stored.dropFirst(Self.prefix.count))),
            let box = try? AES.GCM.SealedBox(combined: combined),
            let plain = try? AES.GCM.open(box, using: key, authenticating: Array(organizationID.utf8))
        else { return nil }
        return String(decoding: plain, as: UTF8.self)
    }

    /// The organization's current token in clear, for its callback URLs.
    func current(_ organization: OrganizationRecord) throws(EngineError) -> String {
        guard let token = open(organization.callbackToken) else {
            throw EngineError(
                .tenantUnavailable,
                "the organization's callback token cannot be opened: \(TenantStore.callbackTokenKeyFileName) is "
                    + "missing, damaged or sealed under another master key")
        }
        return token
    }
}

/// The callback token keys of the organizations, read once per process; creating one is single-flight, so two
/// rotations at the same moment never write two keys.
final class CallbackTokenKeys: Sendable {
    /// Tenant id -> its key, or nil when it has no key file (cached too: callbacks ask at every request).
    private let keys = Mutex<[String: SymmetricKey?]>([:])
    private let creations = Mutex<[String: Task<SymmetricKey, any Error>]>([:])

    /// The seal of `engine`'s organization; with `create`, its key is made (and written) when it has none.
    func seal(
        for engine: TenantEngine, vault: CredentialVault, create: Bool
    ) async throws(EngineError) -> CallbackTokenSeal {
        let tenant = engine.tenantID
        if let cached = keys.withLock({ $0[tenant] }), cached != nil || !create {
            return CallbackTokenSeal(organizationID: tenant, key: cached)
        }
        if !create {
            let bytes: [UInt8]?
            do {
                bytes = try await engine.store.readCallbackTokenKey(with: vault)
            } catch {
                throw EngineError.from(error)
            }
            let key = bytes.map { SymmetricKey(data: $0) }
            keys.withLock { if $0[tenant] == nil { $0[tenant] = .some(key) } }
            return CallbackTokenSeal(organizationID: tenant, key: keys.withLock { $0[tenant] ?? key })
        }
        let creation = creations.withLock { running in
            if let task = running[tenant] { return task }
            let store = engine.store
            let task = Task { () async throws -> SymmetricKey in
                if let bytes = try await store.readCallbackTokenKey(with: vault) { return SymmetricKey(data: bytes) }
                let bytes = CommandContext.randomBytes(32)
                try await store.writeCallbackTokenKey(bytes, with: vault)
                return SymmetricKey(data: bytes)
            }
            running[tenant] = task
            return task
        }
        do {
            let key = try await creation.value
            keys.withLock { $0[tenant] = .some(key) }
            return CallbackTokenSeal(organizationID: tenant, key: key)
        } catch let error as StoreError {
            creations.withLock { _ = $0.removeValue(forKey: tenant) }
            throw EngineError.from(error)
        } catch {
            creations.withLock { _ = $0.removeValue(forKey: tenant) }
            throw EngineError(.storageUnavailable, "the callback token key could not be written")
        }
    }
}
