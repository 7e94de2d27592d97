// swift-tools-version: 6.1
import PackageDescription

// Every target gets the same strict settings. CI adds -warnings-as-errors.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "pesa-gateway",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pesa", targets: ["pesa"]),
        // The benchmarks and load generators of BENCHMARKS.md, kept out of the binary operators run.
        .executable(name: "pesa-bench", targets: ["pesa-bench"]),
        .library(name: "DarajaClient", targets: ["DarajaClient", "DarajaWire"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // TLS for webhooks sent to organizations' endpoints (already in the graph through async-http-client).
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // Printable invoices (and the dashboard's pages); CSV exports.
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        // The dashboard's file uploads (multipart/form-data).
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
    ],
    targets: [
        // Domain: pure types and rules. No I/O, no clock, no randomness, no dependencies.
        .target(name: "PesaCore", dependencies: [], swiftSettings: strict),
        // The bytes on disk: journals, snapshots, vault, tenant folders.
        .target(
            name: "PesaStore",
            dependencies: [
                "PesaCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                // fsync latency, the one storage figure `GET /metrics` shows.
                .product(name: "Metrics", package: "swift-metrics"),
                "CZlib",
            ],
            swiftSettings: strict
        ),
        // zlib (system library, zlib1g-dev) for gzip snapshots and archives.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        // glibc's <malloc.h> (mallopt), for `pesa serve`'s allocator settings; part of libc, nothing to install.
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        // Daraja's wire format; shared by the client and the sandbox.
        .target(name: "DarajaWire", dependencies: [], swiftSettings: strict),
        .target(
            name: "DarajaClient",
            dependencies: [
                "DarajaWire",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                // Safaricom's X.509 certificates: PEM (bundles too), DER and the subject's public key.
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "DarajaSandbox",
            dependencies: [
                "DarajaWire",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "PesaEngine",
            dependencies: [
                "PesaCore", "PesaStore", "DarajaWire", "DarajaClient",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // Webhooks: a POST to the very address that was checked, with the URL's host name for TLS.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "PesaAPI",
            dependencies: [
                // DarajaWire for its calendar arithmetic (`CivilDate`) only.
                "PesaCore", "PesaEngine", "DarajaWire",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                // SHA-256 of API keys, HMAC, random tokens; bcrypt off the cooperative pool (NIOThreadPool).
                .product(name: "Crypto", package: "swift-crypto"),
                // The printable invoice (a template) and the CSV of its lines.
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "CSV", package: "CSV.swift"),
                // The parts of a form with a file in it (the payout batch's CSV).
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                // The connection guards: Hummingbird's HTTP/1.1 channel, NIO's parse errors and request parts.
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // What both executables share on the command line: errors, warnings, loggers.
        .target(
            name: "PesaCLI",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "pesa",
            dependencies: [
                "PesaCore", "PesaStore", "PesaEngine", "PesaAPI", "DarajaWire", "DarajaClient", "DarajaSandbox",
                "PesaCLI", "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // Benchmarks: storage, opening a tenant, payments through a child `pesa serve`, the sandbox, the
        // hello-world baselines, and the month's billing run (the engine in process). Starts the `pesa` built
        // beside it; never part of `pesa`.
        .executableTarget(
            name: "pesa-bench",
            dependencies: [
                "PesaCore", "PesaStore", "PesaEngine", "DarajaWire", "DarajaSandbox", "PesaCLI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // Test support: fault-injecting file system, callback recorder, fixture loader, child processes. Tests only.
        .target(
            name: "PesaTesting",
            dependencies: [
                "PesaCore", "PesaStore", "DarajaWire", "DarajaSandbox", "PesaCLI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "PesaCoreTests", dependencies: ["PesaCore"], swiftSettings: strict),
        .testTarget(
            name: "PesaStoreTests",
            dependencies: ["PesaStore", "PesaCore", "PesaTesting", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "DarajaWireTests",
            dependencies: ["DarajaWire", "PesaTesting"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "DarajaClientTests",
            dependencies: [
                "DarajaClient", "DarajaWire", "DarajaSandbox", "PesaTesting",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                // Certificates made in the tests: a non-RSA one, bundles.
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "DarajaSandboxTests",
            dependencies: [
                "DarajaSandbox", "DarajaWire", "PesaTesting",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PesaEngineTests",
            dependencies: [
                "PesaEngine", "PesaTesting", "DarajaSandbox", "DarajaWire",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // The webhook receivers of the tests: plain HTTP and TLS with a certificate made in the test.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PesaAPITests",
            dependencies: [
                "PesaAPI", "PesaCore", "PesaTesting", "PesaEngine", "PesaStore", "DarajaSandbox",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                // jwt-kit on its own, and an RSA key for a foreign token, in the algorithm tests.
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "PesaTesting", "PesaStore", "PesaCore", "PesaCLI", .product(name: "Logging", package: "swift-log"),
                // The webhook tests check signatures on their own, with HMAC-SHA256 straight from swift-crypto.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // The Python script with which the dashboard's browser test drives Chromium.
            exclude: ["Browser"],
            swiftSettings: strict
        ),
    ]
)
