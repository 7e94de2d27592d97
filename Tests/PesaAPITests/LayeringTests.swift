import Foundation
import Testing

/// ARCHITECTURE.md's module table, checked over `Sources/`: each module imports only what its arrows allow
/// (ours as the table says, the packages as `Package.swift` gives them), and only `PesaStore` touches files.
@Suite struct LayeringTests {
    /// What each module may import of ours: the "imports (of ours)" column of ARCHITECTURE.md.
    static let ours: [String: Set<String>] = [
        "PesaCore": [],
        "PesaStore": ["PesaCore", "CZlib"],
        "DarajaWire": [],
        "DarajaClient": ["DarajaWire"],
        "DarajaSandbox": ["DarajaWire"],
        "PesaEngine": ["PesaCore", "PesaStore", "DarajaWire", "DarajaClient"],
        "PesaAPI": ["PesaCore", "PesaEngine", "DarajaWire"],
        "PesaCLI": [],
        "pesa": [
            "PesaCore", "PesaStore", "DarajaWire", "DarajaClient", "DarajaSandbox", "PesaEngine", "PesaAPI", "PesaCLI",
            "CMalloc",
        ],
        "pesa-bench": ["PesaCore", "PesaStore", "PesaEngine", "DarajaWire", "DarajaSandbox", "PesaCLI"],
        "PesaTesting": ["PesaCore", "PesaStore", "DarajaWire", "DarajaSandbox", "PesaCLI"],
        "CZlib": [],
        "CMalloc": [],
    ]

    /// What each module may import of other packages: its products in `Package.swift`, and the modules those
    /// re-export (`HTTPTypes` with Hummingbird, `UnixSignals` with ServiceLifecycle).
    static let packages: [String: Set<String>] = [
        "PesaStore": ["Crypto", "Logging", "Metrics"],
        "DarajaClient": [
            "AsyncHTTPClient", "Crypto", "_CryptoExtras", "Logging", "NIOCore", "NIOHTTP1", "X509", "SwiftASN1",
        ],
        "DarajaSandbox": [
            "Hummingbird", "HTTPTypes", "AsyncHTTPClient", "Crypto", "_CryptoExtras", "Logging", "ServiceLifecycle",
            "NIOCore", "NIOHTTP1",
        ],
        "PesaEngine": [
            "AsyncHTTPClient", "Crypto", "Logging", "Metrics", "ServiceLifecycle", "NIOCore", "NIOPosix", "NIOHTTP1",
            "NIOSSL",
        ],
        "PesaAPI": [
            "Hummingbird", "HummingbirdCore", "HTTPTypes", "HummingbirdBcrypt", "JWTKit", "Logging", "Metrics",
            "Prometheus", "Crypto", "NIOCore", "NIOPosix", "NIOHTTP1", "Mustache", "CSV", "MultipartKit",
        ],
        "PesaCLI": ["Logging"],
        "pesa": [
            "ArgumentParser", "AsyncHTTPClient", "Hummingbird", "Metrics", "Prometheus", "Logging", "ServiceLifecycle",
            "UnixSignals", "NIOCore", "NIOHTTP1",
        ],
        "pesa-bench": [
            "ArgumentParser", "AsyncHTTPClient", "Hummingbird", "HTTPTypes", "Logging", "ServiceLifecycle", "NIOCore",
            "NIOHTTP1", "NIOPosix",
        ],
        "PesaTesting": [
            "AsyncHTTPClient", "Hummingbird", "HTTPTypes", "Logging", "ServiceLifecycle", "NIOCore", "NIOHTTP1",
        ],
    ]

    /// The toolchain's modules, open to every module.
    static let toolchain: Set<String> = ["Foundation", "Synchronization", "Dispatch", "Glibc", "Musl", "Darwin"]

    /// The modules that may touch files: the store, test support, and the benchmarks (their own scratch folders).
    static let fileModules: Set<String> = ["PesaStore", "PesaTesting", "pesa-bench"]

    /// Files elsewhere that may, each with why.
    static let fileAccessExceptions: [String: String] = [
        // DarajaClient is a library product usable alone; `init(contentsOfFile:)` reads the certificate file
        // its caller names, never the data folder. `pesa` never calls it: it reads certificates through
        // PesaStore and passes the PEM.
        "Sources/DarajaClient/Security/DarajaCertificate.swift": "reads a certificate file its caller names"
    ]

    /// What file access looks like in code (comments and string literals removed).
    static let fileAccess = [
        #"\bFileManager\b"#, #"\bfopen\("#, #"FileHandle\(forWritingAtPath"#, #"Data\(contentsOf"#,
        #"contentsOfFile"#, #"\.write\(to: *[^&\s]"#, #"(?<![\w.])open\([^)]*\bO_[A-Z]+"#,
        #"\b(Glibc|Darwin|Musl)\.open\("#,
    ]

    static let importPattern =
        #"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|fileprivate|private)\s+)?import\s+"#
        + #"(?:(?:struct|class|enum|protocol|typealias|func|var|let|actor)\s+)?([A-Za-z_][A-Za-z0-9_]*)"#

    /// The module a file imports on this line, if the line is an import.
    static func imported(_ line: String) -> String? {
        let code = TidyTests.code(line)
        guard let regex = try? NSRegularExpression(pattern: importPattern),
            let match = regex.firstMatch(in: code, range: NSRange(code.startIndex..., in: code)),
            let range = Range(match.range(at: 1), in: code)
        else { return nil }
        return String(code[range])
    }

    /// The modules under `Sources/`, by folder name.
    static func modules() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: TidyTests.rootURL.appendingPathComponent("Sources").path)
            .filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test func importParsingReadsEveryForm() {
        #expect(Self.imported("import PesaCore") == "PesaCore")
        #expect(Self.imported("public import Hummingbird") == "Hummingbird")
        #expect(Self.imported("internal import struct NIOCore.ByteBuffer") == "NIOCore")
        #expect(Self.imported("@testable import PesaAPI") == "PesaAPI")
        #expect(Self.imported("@preconcurrency public import Logging") == "Logging")
        #expect(Self.imported("    import Glibc") == "Glibc")
        #expect(Self.imported("// import PesaAPI") == nil)
        #expect(Self.imported("let important = 1") == nil)
    }

    @Test func everyModuleImportsOnlyWhatItsArrowsAllow() throws {
        let modules = try Self.modules()
        #expect(Set(modules) == Set(Self.ours.keys), "a module without its row here, or a row without its module")
        var imports = 0
        for module in modules {
            let allowed = (Self.ours[module] ?? []).union(Self.packages[module] ?? []).union(Self.toolchain)
            for (name, lines) in try TidyTests.sources(under: "Sources/\(module)") {
                for (index, line) in lines.enumerated() {
                    guard let imported = Self.imported(line) else { continue }
                    imports += 1
                    #expect(allowed.contains(imported), "\(name):\(index + 1): \(module) may not import \(imported)")
                }
            }
        }
        #expect(imports > 100)
    }

    /// The table in ARCHITECTURE.md says the same as `ours`.
    @Test func theArchitectureTableMatches() throws {
        let text = try String(
            contentsOf: TidyTests.rootURL.appendingPathComponent("ARCHITECTURE.md"), encoding: .utf8)
        var above: Set<String> = []
        var rows = 0
        for line in text.components(separatedBy: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 3 else { continue }
            let module = cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            // The backticked names of the last cell: every other piece between backticks.
            let named = cells[2].split(separator: "`", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 1 }.map { String($0.element) }
            let listed = cells[2] == "all of the above" ? above : Set(named)
            let system: Set<String> = ["CZlib", "CMalloc"]
            #expect(listed == (Self.ours[module] ?? ["?"]).subtracting(system), "ARCHITECTURE.md's row of \(module)")
            above.insert(module)
            rows += 1
        }
        #expect(rows == Self.ours.count - 2)
    }

    @Test func onlyTheStoreTouchesFiles() throws {
        let patterns = try Self.fileAccess.map { try NSRegularExpression(pattern: $0) }
        var excepted: Set<String> = []
        for module in try Self.modules() where !Self.fileModules.contains(module) {
            for (name, lines) in try TidyTests.sources(under: "Sources/\(module)") {
                for (index, line) in lines.enumerated() {
                    let code = TidyTests.code(line)
                    let range = NSRange(code.startIndex..., in: code)
                    guard patterns.contains(where: { $0.firstMatch(in: code, range: range) != nil }) else { continue }
                    if Self.fileAccessExceptions[name] != nil {
                        excepted.insert(name)
                    } else {
                        Issue.record("\(name):\(index + 1) touches a file outside PesaStore: \(line)")
                    }
                }
            }
        }
        #expect(excepted == Set(Self.fileAccessExceptions.keys), "an exception that no longer touches a file")
    }
}
