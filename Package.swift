// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Veritas",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "veritas", targets: ["veritas"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // Named for the sendfile handler, which sits in the NIO pipeline below Hummingbird.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CFFmpeg",
            pkgConfig: "libavformat libavcodec libavutil libswscale libswresample libavfilter",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev", "libswscale-dev", "libswresample-dev", "libavfilter-dev"])]
        ),
        .target(
            name: "MediaPipeline",
            dependencies: [
                "CFFmpeg",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "VeritasCore",
            dependencies: [
                "MediaPipeline",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ]
        ),
        .target(
            name: "VeritasServer",
            dependencies: [
                "VeritasCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            resources: [.copy("Web/Templates"), .copy("Web/Assets"), .copy("OpenAPI")]
        ),
        .executableTarget(
            name: "veritas",
            dependencies: [
                "VeritasCore",
                "VeritasServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "MediaPipelineTests", dependencies: ["MediaPipeline", "TestSupport"]),
        .testTarget(
            name: "VeritasCoreTests",
            dependencies: ["VeritasCore", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "VeritasCLITests", dependencies: ["veritas", "VeritasCore", "TestSupport"]),
        .testTarget(
            name: "VeritasServerTests", dependencies: ["veritas", "VeritasServer", "VeritasCore", "TestSupport"],
            exclude: ["Clients"]),
        // Fuzzing (README "Fuzzing"): built plainly, VeritasFuzz replays a corpus through each
        // target's property checks; built by Tests/Fuzz/run.sh with `-sanitize=fuzzer,address`
        // and `-DVERITAS_FUZZ` on its own scratch path, it hands them to libFuzzer.
        .systemLibrary(name: "CLibFuzzer", path: "Tests/Fuzz/CLibFuzzer"),
        .executableTarget(
            name: "VeritasFuzz",
            dependencies: [
                "CLibFuzzer", "VeritasCore", "VeritasServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/Fuzz/VeritasFuzz"),
    ]
)
