// Settings come from Config/, and every one can be overridden from the environment.
import Foundation
import MediaPipeline
import TestSupport
import Testing
@testable import VeritasCore

@Suite struct VeritasConfigTests {
    func writeConfig(_ json: String) throws -> String {
        let file = try Fixtures.scratchDirectory("config").appendingPathComponent("veritas.json")
        try json.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    @Test func defaultsFollowTheSpec() throws {
        let config = try VeritasConfig.load(path: writeConfig("{}"), environment: [:])
        #expect(config.host == "127.0.0.1" && config.port == 8080)
        #expect(config.mediaDirectory == "Media")
        #expect(config.tokenTTL == 21_600)
        #expect(config.resolvedPublicURL == "http://127.0.0.1:8080")
        #expect(config.transcode == TranscodeSettings())
    }

    @Test func theShippedConfigFileParses() throws {
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Config/veritas.json")
        let config = try VeritasConfig.load(path: shipped.path, environment: [:])
        #expect(config.transcode.ladder == LadderStep.defaults)
        #expect(config.transcode.x264Preset == "veryfast")
    }

    @Test func fileValuesApplyAndEnvironmentWins() throws {
        let path = try writeConfig(#"{"port": 9000, "mediaDir": "/srv/media", "x264Preset": "fast", "ladder": [{"shortSide": 720, "bitrate": 2000000}]}"#)
        let config = try VeritasConfig.load(path: path, environment: [
            "VERITAS_PORT": "9100", "VERITAS_HOST": "0.0.0.0", "VERITAS_PUBLIC_URL": "https://tv.example/",
            "VERITAS_TOKEN_TTL": "60", "VERITAS_LOG_LEVEL": "debug", "VERITAS_LADDER": "480:900000,360:500000",
        ])
        #expect(config.port == 9100 && config.host == "0.0.0.0")
        #expect(config.mediaDirectory == "/srv/media")
        #expect(config.resolvedPublicURL == "https://tv.example")
        #expect(config.tokenTTL == 60 && config.logLevel == "debug")
        #expect(config.transcode.x264Preset == "fast")
        #expect(config.transcode.ladder == [.init(shortSide: 480, bitrate: 900_000), .init(shortSide: 360, bitrate: 500_000)])
    }

    @Test func configPathComesFromTheEnvironment() throws {
        let path = try writeConfig(#"{"port": 9200}"#)
        #expect(try VeritasConfig.load(environment: ["VERITAS_CONFIG": path]).port == 9200)
        #expect(try VeritasConfig.load(environment: ["VERITAS_CONFIG": path, "VERITAS_MEDIA_DIR": "/x"]).mediaDirectory == "/x")
    }

    @Test(arguments: [
        ["VERITAS_PORT": "eighty"], ["VERITAS_PORT": "70000"], ["VERITAS_TOKEN_TTL": "0"], ["VERITAS_LADDER": "1080"],
        ["VERITAS_SEGMENT_DURATION": "1", "VERITAS_KEYFRAME_INTERVAL": "2"],
    ])
    func badValuesAreRejectedWithTheirName(environment: [String: String]) throws {
        #expect(throws: VeritasError.self) { try VeritasConfig.load(path: writeConfig("{}"), environment: environment) }
    }

    @Test func missingOrMalformedFilesAreErrors() throws {
        #expect(throws: VeritasError.self) { try VeritasConfig.load(path: "/nonexistent/veritas.json", environment: [:]) }
        #expect(throws: VeritasError.self) { try VeritasConfig.load(path: writeConfig("{ not json"), environment: [:]) }
    }
}
