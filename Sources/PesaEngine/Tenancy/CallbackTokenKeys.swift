import Crypto
import Foundation
public import PesaCore
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
public enum CallbackTokenSealing {
    static let prefix = "sealed:v1:"

    /// Whether a journaled token is sealed (else plain text from an earlier binary).
    static func isSealed(_ stored: String) -> Bool { stored.hasPrefix(prefix) }

    static func seal(_ token: String, key: SymmetricKey, organizationID: String) -> String {
        guard let box = try? AES.GCM.seal(Array(token.utf8), using: key, authenticating: Array(organizationID.utf8)),
            let combined = box.combined
        else { preconditionFailure("AES-GCM sealing with a 256-bit key does not fail") }
        return prefix + combined.base64EncodedString()
    }

    /// The token a journaled value stands for: itself when plain text, else the opened seal; nil when it cannot
    /// be opened (no key, another organization's, damaged).
    static func open(_ stored: String, key: SymmetricKey?, organizationID: String) -> String? {
        guard isSealed(stored) else { return stored }
        guard let key, let combined = Data(base64Encoded: String(stored.dropFirst(prefix.count))),
            let box = try? AES.GCM.SealedBox(combined: combined),
            let plain = try? AES.GCM.open(box, using: key, authenticating: Array(organizationID.utf8))
        else { return nil }
        return String(decoding: plain, as: UTF8.self)
    }

    /// For `pesa verify`: what is wrong with the organization's journaled tokens, given its opened
    /// `callback-token.key` (nil when the file is absent). Empty when every sealed token opens.
    public static func problems(of organization: OrganizationRecord, keyFile: [UInt8]?) -> [String] {
        let key = keyFile.map { SymmetricKey(data: $0) }
        let tokens = [("callback_token", organization.callbackToken)]
            + (organization.previousCallbackToken.map { [("previous_callback_token", $0)] } ?? [])
        return tokens.compactMap { name, stored in
            guard isSealed(stored), open(stored, key: key, organizationID: organization.id.rawValue) == nil else {
                return nil
            }
            return keyFile == nil
                ? "\(name) is sealed but \(TenantStore.callbackTokenKeyFileName) is missing: callbacks are refused"
                : "\(name) does not open under \(TenantStore.callbackTokenKeyFileName): callbacks are refused"
        }
    }
}

/// The sealing of one organization's tokens. The key is looked up when used, not when this was made: a
/// rotation that gives a plain-text organization its key sets it before journaling the first sealed token,
/// so a request that started before still opens it.
struct CallbackTokenSeal: Sendable {
    let organizationID: String
    let keys: CallbackTokenKeys

    /// `token` as journaled. Only after `CallbackTokenKeys.seal(create: true)` made or read the key.
    func seal(_ token: String) -> String {
        guard let key = keys.cached(organizationID) else {
            preconditionFailure("sealing a callback token needs the organization's key")
        }
        return CallbackTokenSealing.seal(token, key: key, organizationID: organizationID)
    }

    func open(_ stored: String) -> String? {
        CallbackTokenSealing.open(stored, key: keys.cached(organizationID), organizationID: organizationID)
    }

    /// The organization's current token in clear; 503 when it is sealed and cannot be opened.
    func current(_ organization: OrganizationRecord) throws(EngineError) -> String {
        guard let token = open(organization.callbackToken) else { throw Self.unopenable }
        return token
    }

    static let unopenable = EngineError(
        .tenantUnavailable,
        "the organization's callback token cannot be opened: \(TenantStore.callbackTokenKeyFileName) is missing, "
            + "damaged or sealed under another master key (pesa verify names it)")
}

/// The callback token keys of the organizations, read once per process; making one is single-flight, so two
/// rotations at the same moment never write two keys.
final class CallbackTokenKeys: Sendable {
    /// Tenant id -> its key, or nil when it has no key file (cached too: callbacks ask at every request).
    private let keys = Mutex<[String: SymmetricKey?]>([:])
    private let creations = Mutex<[String: Task<SymmetricKey, any Error>]>([:])

    func cached(_ tenant: String) -> SymmetricKey? { keys.withLock { $0[tenant] ?? nil } }

    /// The seal of `engine`'s organization, its key read (once); with `create`, made and written if it has none.
    func seal(
        for engine: TenantEngine, vault: CredentialVault, create: Bool
    ) async throws(EngineError) -> CallbackTokenSeal {
        let tenant = engine.tenantID
        let seal = CallbackTokenSeal(organizationID: tenant, keys: self)
        if let cached = keys.withLock({ $0[tenant] }), cached != nil || !create { return seal }
        if !create {
            let bytes: [UInt8]?
            do {
                bytes = try await engine.store.readCallbackTokenKey(with: vault)
            } catch {
                throw EngineError.from(error)
            }
            let key = bytes.map { SymmetricKey(data: $0) }
            keys.withLock { if $0[tenant] == nil || key != nil { $0[tenant] = .some(key) } }
            return seal
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
            return seal
        } catch {
            // Only this creation's entry: another may have started since a first waiter removed it.
            creations.withLock { if $0[tenant] == creation { $0[tenant] = nil } }
            if let error = error as? StoreError { throw EngineError.from(error) }
            throw EngineError(.storageUnavailable, "the callback token key could not be written")
        }
    }
}
