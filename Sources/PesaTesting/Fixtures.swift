public import Foundation

/// Reads the repository's top-level `fixtures/` folder, found from this source file's path.
public enum Fixtures {
    public struct MissingFixture: Error, CustomStringConvertible {
        public let path: String
        public var description: String { "fixture not found: \(path)" }
    }

    /// The `fixtures/` folder at the top of the repository.
    public static var rootDirectory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // PesaTesting
            .deletingLastPathComponent()  // Sources
            .deletingLastPathComponent()  // repository
            .appendingPathComponent("fixtures", isDirectory: true)
    }

    /// The bytes of `fixtures/<relativePath>`.
    public static func data(_ relativePath: String) throws -> Data {
        let url = rootDirectory.appendingPathComponent(relativePath)
        guard let data = FileManager.default.contents(atPath: url.path) else { throw MissingFixture(path: url.path) }
        return data
    }

    /// The bytes of `fixtures/daraja/<name>` (`name` with or without `.json`).
    public static func daraja(_ name: String) throws -> Data {
        try data("daraja/" + (name.contains(".") ? name : name + ".json"))
    }

    /// The text of `fixtures/daraja/<name>`.
    public static func darajaText(_ name: String) throws -> String {
        String(decoding: try daraja(name), as: UTF8.self)
    }

    /// The names of every JSON fixture in `fixtures/daraja/`, without extension, sorted.
    public static func darajaJSONNames() throws -> [String] {
        let folder = rootDirectory.appendingPathComponent("daraja").path
        return try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.hasSuffix(".json") }
            .map { String($0.dropLast(5)) }
            .sorted()
    }
}
