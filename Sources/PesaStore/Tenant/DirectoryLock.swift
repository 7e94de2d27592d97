#if canImport(Glibc)
import Glibc
#endif

/// `DATA/LOCK`: an exclusive flock held for as long as a process writes the data folder. A second
/// writer (another `pesa serve`, or `pesa compact` beside a running server) fails with a clear message.
/// The lock dies with the process, so a crashed server never leaves a stale lock behind.
public final class DirectoryLock: Sendable {
    public static let fileName = "LOCK"
    private let fd: Int32
    public let path: String

    private init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    deinit { _ = Glibc.close(fd) }

    /// Takes the lock of `dataDirectory` (which must exist) or throws `.locked`, naming the holder's pid.
    public static func acquire(dataDirectory: String, purpose: String) throws(StoreError) -> DirectoryLock {
        let path = Paths.join(dataDirectory, fileName)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StoreError.io(FileIOError(errno: errno, operation: "open", path: path), "taking the data folder lock")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = readHolder(fd: fd)
            _ = Glibc.close(fd)
            throw StoreError(
                .locked,
                "\(dataDirectory) is in use by another pesa process (\(holder)); stop it first, or use a copy")
        }
        let text = Array("pid \(getpid()) \(purpose)\n".utf8)
        _ = ftruncate(fd, 0)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return DirectoryLock(fd: fd, path: path)
    }

    /// Whether some process holds the lock now (for read-only commands that only warn).
    public static func isHeld(dataDirectory: String) -> Bool {
        let path = Paths.join(dataDirectory, fileName)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { _ = Glibc.close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            _ = flock(fd, LOCK_UN)
            return false
        }
        return true
    }

    private static func readHolder(fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 128)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return "holder unknown" }
        return String(decoding: buffer[0..<count], as: UTF8.self).trimmingSuffixNewline()
    }
}

extension String {
    fileprivate func trimmingSuffixNewline() -> String {
        var result = self
        while result.hasSuffix("\n") { result.removeLast() }
        return result
    }
}
