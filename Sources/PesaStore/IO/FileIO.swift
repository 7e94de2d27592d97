/// The store's only door to the disk. Every data file is read and written through this protocol, so
/// tests can swap in a simulated disk that tears writes, loses un-synced data, flips bytes or fills up.
///
/// Calls block; the store runs them on its own I/O queues, never on the cooperative thread pool.
public protocol FileIO: Sendable {
    /// The whole content of a regular file.
    func readFile(at path: String) throws(FileIOError) -> [UInt8]
    /// Opens (optionally creating, mode 0600) a file for appending; the handle's `size` starts at its length.
    func openForAppend(at path: String, create: Bool) throws(FileIOError) -> any AppendableFile
    /// Creates a file that must not exist yet, writes `contents`, syncs it and closes it. The caller still
    /// syncs the directory to make the name durable.
    func writeNewFile(at path: String, contents: [UInt8]) throws(FileIOError)
    /// `mkdir -p` with mode 0700; syncs each parent it changed.
    func createDirectory(at path: String) throws(FileIOError)
    /// Names in a directory (no `.` or `..`), unsorted.
    func listDirectory(at path: String) throws(FileIOError) -> [String]
    /// Atomically replaces `to` with `from` (POSIX rename). The caller syncs the directory.
    func rename(from: String, to: String) throws(FileIOError)
    func removeFile(at path: String) throws(FileIOError)
    /// fsync of a directory, which makes creations, renames and removals in it durable.
    func syncDirectory(at path: String) throws(FileIOError)
    func fileKind(at path: String) -> FileKind
    /// Last modification time in milliseconds since 1970.
    func modificationTimeMs(at path: String) throws(FileIOError) -> Int64
}

public enum FileKind: Sendable, Equatable {
    case missing, regular, directory, other
}

/// An open file that only grows at its end (or is cut back by recovery).
public protocol AppendableFile: AnyObject, Sendable {
    /// Bytes in the file as this handle sees it.
    var size: Int { get }
    /// Writes all of `bytes` at the end. On failure some prefix may have reached the file; `size` then
    /// reflects what is there.
    func append(_ bytes: [UInt8]) throws(FileIOError)
    /// fdatasync: returns once every byte appended so far is durable.
    func sync() throws(FileIOError)
    /// Cuts the file to `size` bytes (and syncs).
    func truncate(to size: Int) throws(FileIOError)
    func close()
}

/// An operating-system error from a file operation: errno, the operation and the path.
public struct FileIOError: Error, Sendable, CustomStringConvertible {
    public let errno: Int32
    public let operation: String
    public let path: String

    public init(errno: Int32, operation: String, path: String) {
        self.errno = errno
        self.operation = operation
        self.path = path
    }

    public var isNoSpace: Bool { errno == 28 }   // ENOSPC
    public var isNotFound: Bool { errno == 2 }   // ENOENT
    public var isExisting: Bool { errno == 17 }  // EEXIST

    public var description: String { "\(operation) \(path): \(Self.describe(errno))" }

    public static func describe(_ errno: Int32) -> String {
        switch errno {
        case 2: "no such file or directory (ENOENT)"
        case 5: "input/output error (EIO)"
        case 13: "permission denied (EACCES)"
        case 17: "file exists (EEXIST)"
        case 28: "no space left on device (ENOSPC)"
        case 30: "read-only file system (EROFS)"
        case 122: "disk quota exceeded (EDQUOT)"
        default: "errno \(errno)"
        }
    }
}

extension FileIO {
    /// Writes `contents` to `path` atomically: a temporary file in the same directory, synced, renamed over
    /// `path`, then the directory synced. A reader sees the old file or the new one, never half of either.
    public func replaceFileAtomically(at path: String, contents: [UInt8], tempSuffix: String) throws(FileIOError) {
        let directory = Paths.directory(of: path)
        let temp = "\(directory)/.tmp-\(Paths.fileName(of: path)).\(tempSuffix)"
        if fileKind(at: temp) != .missing { try removeFile(at: temp) }
        try writeNewFile(at: temp, contents: contents)
        try rename(from: temp, to: path)
        try syncDirectory(at: directory)
    }
}
