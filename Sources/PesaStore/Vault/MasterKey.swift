public import Crypto
import Foundation
public import Logging
import PesaCore

/// The instance's master key (32 bytes). It never enters a tenant folder; every tenant's vault key is
/// derived from it with HKDF. Its `id` (16 hex digits of a SHA-256 over it) is stored beside each
/// ciphertext, so the wrong key is told apart from a damaged file, and a rotation can resume.
public struct MasterKey: Sendable, CustomStringConvertible {
    public static let byteCount = 32
    public static let environmentVariable = "PESA_MASTER_KEY"
    public static let defaultFileName = "master.key"

    let key: SymmetricKey
    public let id: String

    public init(bytes: [UInt8]) throws(StoreError) {
        guard bytes.count == Self.byteCount else {
            throw StoreError(.invalidArgument, "a master key is \(Self.byteCount) bytes, not \(bytes.count)")
        }
        self.key = SymmetricKey(data: bytes)
        var hasher = SHA256()
        hasher.update(data: Array("pesa-gateway/master-key-id/v1".utf8))
        hasher.update(data: bytes)
        self.id = String(Hex.encodeString(hasher.finalize()).prefix(16))
    }

    /// Parses the base64 text of a key (as in PESA_MASTER_KEY or a key file).
    public init(base64 text: String) throws(StoreError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let data = Data(base64Encoded: trimmed) else {
            throw StoreError(.invalidArgument, "the master key is not valid base64")
        }
        try self.init(bytes: Array(data))
    }

    /// A new random key.
    public static func generate() -> MasterKey {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        guard let key = try? MasterKey(bytes: bytes) else { preconditionFailure("a 256-bit key is 32 bytes") }
        return key
    }

    /// The key as base64 text, for writing a key file.
    public var base64: String { key.withUnsafeBytes { Data($0).base64EncodedString() } }

    public var description: String { "MasterKey(id: \(id))" }

    /// Derives a 256-bit subkey for one purpose (e.g. a tenant's vault, JWT signing).
    public func derivedKey(purpose: String, context: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: key, salt: Array("pesa-gateway/\(purpose)/v1".utf8), info: Array(context.utf8),
            outputByteCount: 32)
    }

    /// Loads the key from, in order: `PESA_MASTER_KEY`, `keyFile`, or `<data>/master.key` — creating that file
    /// (mode 0600, outside `tenants/`) with a new key and a loud warning when none exists.
    public static func load(
        environment: [String: String], keyFile: String?, dataDirectory: String, io: any FileIO, logger: Logger
    ) throws(StoreError) -> MasterKey {
        if let text = environment[environmentVariable], !text.isEmpty {
            return try MasterKey(base64: text)
        }
        if let keyFile { return try read(keyFile, io: io) }
        let path = Paths.join(dataDirectory, defaultFileName)
        if io.fileKind(at: path) == .regular { return try read(path, io: io) }
        let key = generate()
        do {
            try io.createDirectory(at: dataDirectory)
            try io.replaceFileAtomically(at: path, contents: Array((key.base64 + "\n").utf8), tempSuffix: "new")
        } catch {
            throw StoreError.io(error, "creating the master key file \(path)")
        }
        logger.warning(
            """
            CREATED A NEW MASTER KEY at \(path) (mode 0600). Every tenant's credentials are encrypted with it: \
            BACK IT UP SEPARATELY from the data folder, or set PESA_MASTER_KEY / --master-key-file. \
            Without it, stored M-Pesa credentials cannot be decrypted.
            """)
        return key
    }

    public static func read(_ path: String, io: any FileIO) throws(StoreError) -> MasterKey {
        let bytes: [UInt8]
        do {
            bytes = try io.readFile(at: path)
        } catch {
            throw StoreError.io(error, "reading the master key file \(path)")
        }
        return try MasterKey(base64: String(decoding: bytes, as: UTF8.self))
    }
}
