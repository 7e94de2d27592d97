/// The one error type of PesaStore: a code the API maps to HTTP, a message safe to show an operator
/// (never a secret), the underlying cause and where it was raised.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// A line that cannot be read, somewhere other than the journal's tail: the tenant is fenced.
        case corruptRecord
        /// A line whose `prev` is not the hash of the line before it, or whose own hash does not match.
        case chainBroken
        /// A missing or repeated sequence number.
        case sequenceGap
        /// A file written by a newer version of pesa.
        case newerFormat
        /// A snapshot that cannot be used (bad checksum, disagrees with the journal).
        case snapshotInvalid
        /// The disk refused an operation (EIO, ENOSPC, permissions, ...). Retrying later may succeed.
        case io
        /// A value over one of the Limits.
        case limitExceeded
        /// The data folder is held by another process.
        case locked
        /// The tenant is fenced after an integrity problem and takes no requests until an operator acts.
        case fenced
        /// The credentials vault was encrypted under another master key.
        case wrongMasterKey
        /// The credentials vault does not authenticate (tampered or damaged).
        case vaultDamaged
        /// No such tenant or file.
        case notFound
        /// A caller's value the store refuses (bad id, malformed event data).
        case invalidArgument
    }

    public let code: Code
    public let message: String
    public let cause: (any Error)?
    public let location: String

    public init(_ code: Code, _ message: String, cause: (any Error)? = nil, fileID: String = #fileID, line: Int = #line)
    {
        self.code = code
        self.message = message
        self.cause = cause
        self.location = "\(fileID):\(line)"
    }

    public var description: String {
        if let cause { return "\(message) (\(cause))" }
        return message
    }

    static func io(_ error: FileIOError, _ what: String, fileID: String = #fileID, line: Int = #line) -> StoreError {
        let detail = error.isNoSpace ? "the disk is full" : "the disk refused it"
        return StoreError(.io, "\(what): \(detail): \(error)", cause: error, fileID: fileID, line: line)
    }

    static func newerFormat(_ file: String, found: Int, known: Int, fileID: String = #fileID, line: Int = #line)
        -> StoreError
    {
        StoreError(
            .newerFormat,
            "\(file) has format version \(found), but this pesa reads versions up to \(known): upgrade pesa",
            fileID: fileID, line: line)
    }
}
