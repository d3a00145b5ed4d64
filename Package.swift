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
            ]
        ),
        .executableTarget(
            name: "veritas",
            dependencies: [
                "VeritasCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "MediaPipelineTests", dependencies: ["MediaPipeline", "TestSupport"]),
        .testTarget(name: "VeritasCoreTests", dependencies: ["VeritasCore", "TestSupport"]),
        .testTarget(name: "VeritasCLITests", dependencies: ["veritas", "VeritasCore", "TestSupport"]),
    ]
)
