public import PesaStore
import Synchronization

extension SimulatedFileIO {
    public func readFile(at path: String) throws(FileIOError) -> [UInt8] {
        try disk.withLock { (disk) throws(FileIOError) -> [UInt8] in
            _ = try gate(.read, path, mutating: false, disk: &disk)
            guard let id = disk.names[path], let bytes = disk.contents[id] else {
                throw FileIOError(errno: 2, operation: "open", path: path)
            }
            return bytes
        }
    }

    public func openForAppend(at path: String, create: Bool) throws(FileIOError) -> any AppendableFile {
        let id = try disk.withLock { (disk) throws(FileIOError) -> Int in
            if let id = disk.names[path] { return id }
            guard create else { throw FileIOError(errno: 2, operation: "open", path: path) }
            _ = try gate(.create, path, mutating: true, disk: &disk)
            try Self.requireParent(of: path, in: disk)
            let id = disk.nextFileID
            disk.nextFileID += 1
            disk.contents[id] = []
            disk.mtimes[id] = disk.nowMs
            disk.names[path] = id
            return id
        }
        return SimulatedFile(io: self, id: id, path: path)
    }

    public func writeNewFile(at path: String, contents: [UInt8]) throws(FileIOError) {
        try disk.withLock { (disk) throws(FileIOError) in
            _ = try gate(.create, path, mutating: true, disk: &disk)
            guard disk.names[path] == nil else { throw FileIOError(errno: 17, operation: "create", path: path) }
            try Self.requireParent(of: path, in: disk)
            let id = disk.nextFileID
            disk.nextFileID += 1
            disk.contents[id] = contents
            disk.durableContents[id] = contents
            disk.mtimes[id] = disk.nowMs
            disk.names[path] = id
        }
    }

    public func createDirectory(at path: String) throws(FileIOError) {
        try disk.withLock { (disk) throws(FileIOError) in
            var missing: [String] = []
            var current = path
            while !disk.directories.contains(current) && current != "/" && current != "." {
                missing.append(current)
                current = Paths.directory(of: current)
            }
            guard !missing.isEmpty else { return }
            _ = try gate(.mkdir, path, mutating: true, disk: &disk)
            for directory in missing {
                disk.directories.insert(directory)
                disk.durableDirectories.insert(directory)
            }
        }
    }

    public func listDirectory(at path: String) throws(FileIOError) -> [String] {
        try disk.withLock { (disk) throws(FileIOError) -> [String] in
            _ = try gate(.list, path, mutating: false, disk: &disk)
            guard disk.directories.contains(path) else { throw FileIOError(errno: 2, operation: "opendir", path: path) }
            let files = disk.names.keys.filter { Paths.directory(of: $0) == path }
            let folders = disk.directories.filter { $0 != path && Paths.directory(of: $0) == path }
            return (files + folders).map { Paths.fileName(of: $0) }
        }
    }

    public func rename(from: String, to: String) throws(FileIOError) {
        try disk.withLock { (disk) throws(FileIOError) in
            _ = try gate(.rename, to, mutating: true, disk: &disk)
            guard let id = disk.names[from] else { throw FileIOError(errno: 2, operation: "rename", path: from) }
            disk.names[from] = nil
            disk.names[to] = id
        }
    }

    public func removeFile(at path: String) throws(FileIOError) {
        try disk.withLock { (disk) throws(FileIOError) in
            _ = try gate(.remove, path, mutating: true, disk: &disk)
            guard disk.names.removeValue(forKey: path) != nil else {
                throw FileIOError(errno: 2, operation: "unlink", path: path)
            }
        }
    }

    public func syncDirectory(at path: String) throws(FileIOError) {
        try disk.withLock { (disk) throws(FileIOError) in
            _ = try gate(.syncDirectory, path, mutating: true, disk: &disk)
            for (name, _) in disk.durableNames where Paths.directory(of: name) == path && disk.names[name] == nil {
                disk.durableNames[name] = nil
            }
            for (name, id) in disk.names where Paths.directory(of: name) == path {
                disk.durableNames[name] = id
            }
        }
    }

    public func fileKind(at path: String) -> FileKind {
        disk.withLock { disk in
            if disk.names[path] != nil { return .regular }
            return disk.directories.contains(path) ? .directory : .missing
        }
    }

    public func modificationTimeMs(at path: String) throws(FileIOError) -> Int64 {
        try disk.withLock { (disk) throws(FileIOError) -> Int64 in
            guard let id = disk.names[path], let time = disk.mtimes[id] else {
                throw FileIOError(errno: 2, operation: "stat", path: path)
            }
            return time
        }
    }

    private static func requireParent(of path: String, in disk: Disk) throws(FileIOError) {
        guard disk.directories.contains(Paths.directory(of: path)) else {
            throw FileIOError(errno: 2, operation: "create", path: path)
        }
    }
}

/// An open file of the simulated disk.
final class SimulatedFile: AppendableFile, Sendable {
    let io: SimulatedFileIO
    let id: Int
    let path: String

    init(io: SimulatedFileIO, id: Int, path: String) {
        self.io = io
        self.id = id
        self.path = path
    }

    var size: Int { io.disk.withLock { $0.contents[id]?.count ?? 0 } }

    func append(_ bytes: [UInt8]) throws(FileIOError) {
        try io.disk.withLock { (disk) throws(FileIOError) in
            guard let fault = try io.gate(.append, path, mutating: true, disk: &disk) else {
                disk.contents[id, default: []].append(contentsOf: bytes)
                disk.mtimes[id] = disk.nowMs
                return
            }
            if fault.partialBytes < 0 { try io.crashDuringAppend(&disk, id: id, bytes: bytes, path: path) }
            disk.contents[id, default: []].append(contentsOf: bytes.prefix(fault.partialBytes))
            throw FileIOError(errno: fault.errno, operation: "write", path: path)
        }
    }

    func sync() throws(FileIOError) {
        try io.disk.withLock { (disk) throws(FileIOError) in
            _ = try io.gate(.sync, path, mutating: true, disk: &disk)
            disk.durableContents[id] = disk.contents[id]
        }
    }

    func truncate(to size: Int) throws(FileIOError) {
        try io.disk.withLock { (disk) throws(FileIOError) in
            _ = try io.gate(.truncate, path, mutating: true, disk: &disk)
            disk.contents[id] = Array((disk.contents[id] ?? []).prefix(size))
            disk.durableContents[id] = disk.contents[id]
        }
    }

    func close() {}
}
