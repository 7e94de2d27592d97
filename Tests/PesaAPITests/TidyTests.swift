import Foundation
import Testing

/// Request paths never crash on input, backed by a scan: no `try!`, `as!` or force unwrap in PesaAPI's request
/// paths; and the file shape (files under 400 lines, lines under 120 columns).
@Suite struct TidyTests {
    static let sourcesURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/PesaAPI")

    static func sources() throws -> [(name: String, lines: [String])] {
        let enumerator = FileManager.default.enumerator(at: sourcesURL, includingPropertiesForKeys: nil)
        var files: [(String, [String])] = []
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "swift" else { continue }
            let text = try String(contentsOf: url, encoding: .utf8)
            files.append((url.lastPathComponent, text.components(separatedBy: "\n")))
        }
        return files
    }

    /// The code of a line: comments and string literals removed.
    static func code(_ line: String) -> String {
        var text = line
        if let comment = text.range(of: "//") { text = String(text[..<comment.lowerBound]) }
        return text.replacingOccurrences(of: #""([^"\\]|\\.)*""#, with: "\"\"", options: .regularExpression)
    }

    @Test func noForceUnwrapTryOrCast() throws {
        let files = try Self.sources()
        #expect(files.count > 20)
        for (name, lines) in files {
            for (index, line) in lines.enumerated() {
                let code = Self.code(line)
                let forced = code.range(of: #"(try!|as!|[\w\)\]]!(?!=))"#, options: .regularExpression)
                #expect(forced == nil, "\(name):\(index + 1): \(line)")
            }
        }
    }

    @Test func filesAndLinesStaySmall() throws {
        for (name, lines) in try Self.sources() {
            #expect(lines.count < 400, "\(name) has \(lines.count) lines")
            for (index, line) in lines.enumerated() {
                #expect(line.count <= 120, "\(name):\(index + 1) is \(line.count) columns")
            }
        }
    }
}
