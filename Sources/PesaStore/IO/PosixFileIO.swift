#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The real disk: POSIX calls with EINTR and short-write handling, fdatasync for durability.
public struct PosixFileIO: FileIO {
    public init() {}

    public func readFile(at path: String) throws(FileIOError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Self.failure("open", path) }
        defer { _ = Glibc.close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Self.failure("stat", path) }
        var result = [UInt8]()
        result.reserveCapacity(Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Self.failure("read", path)
            }
            if count == 0 { break }
            result.append(contentsOf: chunk[0..<count])
        }
        return result
    }

    public func openForAppend(at path: String, create: Bool) throws(FileIOError) -> any AppendableFile {
        let flags = O_WRONLY | O_APPEND | O_CLOEXEC | (create ? O_CREAT : 0)
        let fd = open(path, flags, 0o600)
        guard fd >= 0 else { throw Self.failure("open", path) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let error = Self.failure("stat", path)
            _ = Glibc.close(fd)
            throw error
        }
        return PosixAppendableFile(fd: fd, path: path, size: Int(info.st_size))
    }

    public func writeNewFile(at path: String, contents: [UInt8]) throws(FileIOError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Self.failure("create", path) }
        defer { _ = Glibc.close(fd) }
        if Pacing.isActive {
            try Self.writeInSyncedSlices(fd: fd, bytes: contents[...], path: path)
        } else {
            try Self.writeAll(fd: fd, bytes: contents[...], path: path)
        }
        guard fsync(fd) == 0 else { throw Self.failure("fsync", path) }
    }

    /// Writes a large file a slice at a time, each written back to the disk before the next, pausing between
    /// them (maintenance: snapshots, archives); the caller's final fsync makes it durable. A file written whole
    /// leaves megabytes of dirty pages, and a journal's fdatasync (its few bytes, then a disk cache flush) queues
    /// behind their write-back on the device: after a 10 MB snapshot was written whole, a 388-byte journal
    /// append waited 306 ms. (On ext4 with a journal in data=ordered mode, the journal's commit would also have
    /// to write them first; the measured machine's ext4 has none: its fdatasync runs `ext4_fsync_nojournal`.)
    /// Each slice is written back with `sync_file_range` where Linux has it: no
    /// filesystem commit and no disk cache flush per slice. A 400-byte append-and-fdatasync probe running
    /// next to a 10 MB writer (BENCHMARKS.md) saw its worst wait at 3.5 to 35 ms in five of six rounds this
    /// way, against 4 to 776 ms (three of six above 90 ms) with an fdatasync per slice and 15 to 190 ms with
    /// one write and fsync.
    static func writeInSyncedSlices(fd: Int32, bytes: ArraySlice<UInt8>, path: String) throws(FileIOError) {
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = min(start + Pacing.sliceBytes, bytes.endIndex)
            try writeAll(fd: fd, bytes: bytes[start..<end], path: path)
            if let syncFileRange = SyncFileRange.function {
                let offset = Int64(start - bytes.startIndex)
                guard syncFileRange(fd, offset, Int64(end - start), SyncFileRange.writeAndWait) == 0 else {
                    throw failure("sync_file_range", path)
                }
            } else {
                guard fdatasync(fd) == 0 else { throw failure("fdatasync", path) }
            }
            Pacing.pause()
            start = end
        }
    }

    public func createDirectory(at path: String) throws(FileIOError) {
        switch fileKind(at: path) {
        case .directory: return
        case .missing: break
        case .regular, .other: throw FileIOError(errno: EEXIST, operation: "mkdir", path: path)
        }
        let parent = Paths.directory(of: path)
        if parent != path && fileKind(at: parent) == .missing {
            try createDirectory(at: parent)
        }
        if mkdir(path, 0o700) != 0 && errno != EEXIST { throw Self.failure("mkdir", path) }
        try syncDirectory(at: parent)
    }

    public func listDirectory(at path: String) throws(FileIOError) -> [String] {
        guard let dir = opendir(path) else { throw Self.failure("opendir", path) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    public func rename(from: String, to: String) throws(FileIOError) {
        guard Glibc.rename(from, to) == 0 else { throw Self.failure("rename", "\(from) -> \(to)") }
    }

    public func removeFile(at path: String) throws(FileIOError) {
        guard unlink(path) == 0 else { throw Self.failure("unlink", path) }
    }

    public func syncDirectory(at path: String) throws(FileIOError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw Self.failure("open directory", path) }
        defer { _ = Glibc.close(fd) }
        guard fsync(fd) == 0 else { throw Self.failure("fsync directory", path) }
    }

    public func fileKind(at path: String) -> FileKind {
        var info = stat()
        guard stat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    public func modificationTimeMs(at path: String) throws(FileIOError) -> Int64 {
        var info = stat()
        guard stat(path, &info) == 0 else { throw Self.failure("stat", path) }
        return Int64(info.st_mtim.tv_sec) * 1000 + Int64(info.st_mtim.tv_nsec) / 1_000_000
    }

    static func failure(_ operation: String, _ path: String) -> FileIOError {
        FileIOError(errno: errno, operation: operation, path: path)
    }

    static func writeAll(fd: Int32, bytes: ArraySlice<UInt8>, path: String) throws(FileIOError) {
        var remaining = bytes
        while !remaining.isEmpty {
            let written = remaining.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw failure("write", path)
            }
            remaining = remaining.dropFirst(written)
        }
    }
}

/// A file descriptor opened with O_APPEND. Used by one writer at a time (the journal's I/O queue).
final class PosixAppendableFile: AppendableFile, @unchecked Sendable {
    private let fd: Int32
    private let path: String
    private(set) var size: Int
    private var isClosed = false

    init(fd: Int32, path: String, size: Int) {
        self.fd = fd
        self.path = path
        self.size = size
    }

    deinit { close() }

    func append(_ bytes: [UInt8]) throws(FileIOError) {
        var remaining = bytes[...]
        while !remaining.isEmpty {
            let written = remaining.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                let error = PosixFileIO.failure("write", path)
                refreshSize()
                throw error
            }
            size += written
            remaining = remaining.dropFirst(written)
        }
    }

    func sync() throws(FileIOError) {
        guard fdatasync(fd) == 0 else { throw PosixFileIO.failure("fdatasync", path) }
    }

    func truncate(to newSize: Int) throws(FileIOError) {
        guard ftruncate(fd, off_t(newSize)) == 0 else { throw PosixFileIO.failure("truncate", path) }
        size = newSize
        guard fdatasync(fd) == 0 else { throw PosixFileIO.failure("fdatasync", path) }
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        _ = Glibc.close(fd)
    }

    private func refreshSize() {
        var info = stat()
        if fstat(fd, &info) == 0 { size = Int(info.st_size) }
    }
}

/// Linux's `sync_file_range(2)`, looked up at run time (Swift's Glibc module does not export it).
enum SyncFileRange {
    typealias Function = @convention(c) (Int32, Int64, Int64, UInt32) -> Int32

    /// SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER.
    static let writeAndWait: UInt32 = 1 | 2 | 4

    static let function: Function? = {
        #if os(Linux)
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sync_file_range") else { return nil }
            return unsafeBitCast(symbol, to: Function.self)
        #else
            return nil
        #endif
    }()
}
