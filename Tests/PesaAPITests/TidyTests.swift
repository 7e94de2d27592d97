import Foundation
import Testing

/// The house rules of every file, checked over the whole tree: files under 400 lines and lines of at most 120
/// columns in every module under `Sources/` and every test target under `Tests/`; and request paths never crash
/// on input, backed by a scan: no `try!`, `as!` or force unwrap in `PesaAPI`, `PesaEngine` or `DarajaClient`.
@Suite struct TidyTests {
    /// The package's top folder.
    static let rootURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The modules whose code must never crash on input (swift-format's `NeverForceUnwrap` and
    /// `NeverUseForceTry` are on there too).
    static let requestPathModules = ["PesaAPI", "PesaEngine", "DarajaClient"]

    /// The Swift files under `folder` (a path from the top folder), named by their path from the top folder.
    static func sources(under folder: String) throws -> [(name: String, lines: [String])] {
        let top = rootURL.standardizedFileURL.path + "/"
        let enumerator = FileManager.default.enumerator(
            at: rootURL.appendingPathComponent(folder), includingPropertiesForKeys: nil)
        var files: [(String, [String])] = []
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "swift" else { continue }
            let text = try String(contentsOf: url, encoding: .utf8)
            var name = url.standardizedFileURL.path
            if name.hasPrefix(top) { name.removeFirst(top.count) }
            files.append((name, text.components(separatedBy: "\n")))
        }
        return files.sorted { $0.0 < $1.0 }
    }

    /// The code of a line: comments and string literals removed.
    static func code(_ line: String) -> String {
        var text = line
        if let comment = text.range(of: "//") { text = String(text[..<comment.lowerBound]) }
        return text.replacingOccurrences(of: #""([^"\\]|\\.)*""#, with: "\"\"", options: .regularExpression)
    }

    @Test(arguments: TidyTests.requestPathModules) func noForceUnwrapTryOrCast(module: String) throws {
        let files = try Self.sources(under: "Sources/\(module)")
        #expect(files.count > 5)
        for (name, lines) in files {
            for (index, line) in lines.enumerated() {
                let code = Self.code(line)
                let forced = code.range(of: #"(try!|as!|[\w\)\]]!(?!=))"#, options: .regularExpression)
                #expect(forced == nil, "\(name):\(index + 1): \(line)")
            }
        }
    }

    @Test(arguments: ["Sources", "Tests"]) func filesAndLinesStaySmall(folder: String) throws {
        let files = try Self.sources(under: folder)
        #expect(files.count > 50)
        for (name, lines) in files {
            #expect(lines.count < 400, "\(name) has \(lines.count) lines")
            for (index, line) in lines.enumerated() {
                #expect(line.count <= 120, "\(name):\(index + 1) is \(line.count) columns")
            }
        }
    }

    /// `PesaAPI`, `PesaEngine` and `DarajaClient` have their own `.swift-format`: the top one with
    /// `NeverForceUnwrap` and `NeverUseForceTry` on, and nothing else changed.
    @Test(arguments: TidyTests.requestPathModules)
    func requestPathFormatConfigurationFollowsTheTopOne(module: String) throws {
        let top = try String(contentsOf: Self.rootURL.appendingPathComponent(".swift-format"), encoding: .utf8)
        let strict = try String(
            contentsOf: Self.rootURL.appendingPathComponent("Sources/\(module)/.swift-format"), encoding: .utf8)
        let rules = ["NeverForceUnwrap", "NeverUseForceTry"]
        var relaxed = strict
        for rule in rules {
            #expect(top.contains("\"\(rule)\": false"), ".swift-format: \(rule)")
            #expect(strict.contains("\"\(rule)\": true"), "Sources/\(module)/.swift-format: \(rule)")
            relaxed = relaxed.replacingOccurrences(of: "\"\(rule)\": true", with: "\"\(rule)\": false")
        }
        #expect(relaxed == top, "Sources/\(module)/.swift-format differs from .swift-format in more than \(rules)")
    }
}
