// `veritas ingest`: a published episode from any readable file, progress while it runs, and a
// clean failure (asset failed with its reason, nothing reachable) for everything else.
import Foundation
import TestSupport
import Testing

@Suite(.serialized) struct IngestCommandTests {
    @Test func ingestMakesAPublishedEpisodeWithPlainProgressLines() throws {
        let veritas = try VeritasCLI()
        try veritas("shows", "add", "news", "--title", "News", "--free")
        let clip = try Fixtures.video(width: 640, height: 360, seconds: 7)
        let result = try veritas(
            "ingest", clip.path, "--show", "news", "--title", "Monday", "--season", "1", "--episode", "2", "--publish")
        #expect(result.succeeded, "\(result.stderr)")
        #expect(result.stdout.contains("× realtime") && result.stdout.contains("ETA"), "\(result.stdout)")
        #expect(result.stdout.contains("100%"))
        #expect(!result.stdout.contains("\r"), "no terminal, so no redrawn bar")

        let episodes = try veritas.list("episodes", "list", "--show", "news")
        let episode = try #require(episodes.first)
        #expect(episode["status"] as? String == "ready")
        #expect(episode["published"] as? Bool == true)
        #expect(episode["season"] as? Int == 1 && episode["episode"] as? Int == 2)
        #expect(abs((episode["duration"] as? Double ?? 0) - 7) < 0.1)
        let assetID = try #require(episode["asset_id"] as? String)
        #expect(veritas.entries("assets") == [assetID])
        #expect(Set(veritas.entries("assets/\(assetID)")).isSuperset(of: ["master.m3u8", "poster.jpg", "360p", "audio"]))
        #expect(veritas.entries("staging").isEmpty)
    }

    @Test func withoutATitleTheSourcesTagsNameTheEpisode() throws {
        let veritas = try VeritasCLI()
        try veritas("shows", "add", "pod", "--title", "Pod", "--kind", "podcast", "--free")
        let id3 = try Fixtures.generated(
            "tagged.mp3",
            ["-f", "lavfi", "-i", "sine=frequency=300:duration=3", "-c:a", "libmp3lame", "-id3v2_version", "3",
             "-metadata", "title=Tagged & titled", "-metadata", "comment=What the show is about"])
        let mp4 = try Fixtures.generated(
            "tagged.m4a", ["-f", "lavfi", "-i", "sine=frequency=300:duration=3", "-c:a", "aac", "-metadata", "title=From the MP4 tag"])
        let untagged = try Fixtures.audio(seconds: 3)
        for file in [id3, mp4, untagged] {
            let result = try veritas("ingest", file.path, "--show", "pod")
            #expect(result.succeeded, "\(result.stderr)")
        }
        let episodes = try veritas.list("episodes", "list")
        #expect(Set(episodes.compactMap { $0["title"] as? String })
            == ["Tagged & titled", "From the MP4 tag", untagged.deletingPathExtension().lastPathComponent], "\(episodes)")
        #expect(episodes.first { $0["title"] as? String == "Tagged & titled" }?["description"] as? String == "What the show is about")
        // A title given on the command line wins.
        #expect(try veritas("ingest", id3.path, "--show", "pod", "--title", "Mine").succeeded)
        #expect(try veritas.list("episodes", "list").contains { $0["title"] as? String == "Mine" })
    }

    @Test func terminalGetsALiveProgressBar() throws {
        let veritas = try VeritasCLI()
        try veritas("shows", "add", "news", "--title", "News")
        let clip = try Fixtures.video(width: 640, height: 360, seconds: 7)
        // `script` gives the command a pseudo-terminal, as an operator's shell would.
        let command = [VeritasCLI.binary.path, "ingest", clip.path, "--show", "news", "--title", "T"].joined(separator: " ")
        let result = try run(["script", "-qec", command, "/dev/null"], environment: veritas.environment)
        #expect(result.succeeded, "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("\r\u{1B}[2K["), "no redrawn bar in \(result.stdout.debugDescription)")
        #expect(result.stdout.contains("] 100%"))
        #expect(result.stdout.contains("× realtime"))
    }

    static let badInputs: [(name: String, make: @Sendable () throws -> Data)] = [
        ("empty.mp4", { Data() }),
        ("noise.mp4", { Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) }) }),
        ("minutes.mp4", { Data("Minutes of the meeting, renamed to look like a video.\n".utf8) }),
        ("half.mp4", {
            let whole = try Data(contentsOf: Fixtures.generated(
                "faststart-cli.mp4",
                ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=10", "-c:v", "libx264", "-preset", "ultrafast",
                 "-movflags", "+faststart"]))
            return whole.prefix(whole.count / 2)
        }),
        ("subtitles.mkv", {
            let folder = try Fixtures.scratchDirectory("srt")
            let srt = folder.appendingPathComponent("a.srt")
            try "1\n00:00:00,000 --> 00:00:04,000\nHi\n".write(to: srt, atomically: true, encoding: .utf8)
            let mkv = folder.appendingPathComponent("a.mkv")
            try runChecked(["ffmpeg", "-v", "error", "-i", srt.path, mkv.path])
            return try Data(contentsOf: mkv)
        }),
    ]

    @Test(arguments: 0..<5)
    func badInputFailsCleanly(index: Int) throws {
        let (name, make) = Self.badInputs[index]
        let veritas = try VeritasCLI()
        try veritas("shows", "add", "news", "--title", "News", "--free")
        let file = veritas.mediaDirectory.appendingPathComponent("upload-\(name)")
        try make().write(to: file)
        let result = try veritas("ingest", file.path, "--show", "news", "--title", "Bad", "--publish")
        #expect(result.status != 0)
        #expect(result.stderr.contains("failed"), "\(name): \(result.stderr)")
        #expect(result.stderr.trimmingCharacters(in: .newlines).split(separator: "\n").count == 1, "\(name): \(result.stderr)")
        let episode = try #require(try veritas.list("episodes", "list").first)
        #expect(episode["status"] as? String == "failed")
        #expect(episode["published"] as? Bool == false)
        #expect(!((episode["failure_reason"] as? String) ?? "").isEmpty)
        #expect(veritas.entries("assets").isEmpty)
        #expect(veritas.entries("staging").isEmpty)
        #expect(FileManager.default.fileExists(atPath: file.path), "the source is left intact")
    }

    @Test func unknownShowOrMissingFileCreatesNothing() throws {
        let veritas = try VeritasCLI()
        try veritas("shows", "add", "news", "--title", "News")
        let clip = try Fixtures.video(width: 640, height: 360, seconds: 7)
        let unknown = try veritas("ingest", clip.path, "--show", "nope", "--title", "T")
        #expect(unknown.status != 0 && unknown.stderr.contains("no show 'nope'"), "\(unknown.stderr)")
        let missing = try veritas("ingest", "/no/such/file.mp4", "--show", "news", "--title", "T")
        #expect(missing.status != 0 && missing.stderr.contains("no such file"), "\(missing.stderr)")
        #expect(try veritas.list("episodes", "list").isEmpty)
    }

    @Test func interruptLeavesAFailedAssetAndNoFiles() throws {
        let veritas = try VeritasCLI()
        try veritas("shows", "add", "news", "--title", "News")
        let clip = try Fixtures.video(width: 1280, height: 720, seconds: 30)
        let process = Process()
        process.executableURL = VeritasCLI.binary
        process.arguments = ["ingest", clip.path, "--show", "news", "--title", "Long", "--publish"]
        process.environment = ProcessInfo.processInfo.environment.merging(veritas.environment) { $1 }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Wait until the ingest is under way: a first segment is in staging.
        func hasSegment() -> Bool {
            veritas.entries("staging").contains { asset in
                veritas.entries("staging/\(asset)").contains { rung in
                    veritas.entries("staging/\(asset)/\(rung)").contains { $0.hasSuffix(".ts") }
                }
            }
        }
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, !hasSegment() { usleep(50_000) }
        #expect(hasSegment(), "the ingest never started writing")
        process.interrupt()
        process.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus != 0)
        #expect(stderr.contains("interrupted"), "\(stderr)")
        let episode = try #require(try veritas.list("episodes", "list").first)
        #expect(episode["status"] as? String == "failed" && episode["published"] as? Bool == false)
        #expect(veritas.entries("assets").isEmpty)
        #expect(veritas.entries("staging").isEmpty)
    }

    @Test func failedEpisodeCannotBePublished() throws {
        let veritas = try VeritasCLI()
        try veritas("shows", "add", "news", "--title", "News")
        let file = veritas.mediaDirectory.appendingPathComponent("bad.mp4")
        try Data("nope".utf8).write(to: file)
        try veritas("ingest", file.path, "--show", "news", "--title", "Bad")
        let id = try #require(try veritas.list("episodes", "list").first?["id"] as? String)
        let publish = try veritas("episodes", "publish", id)
        #expect(publish.status != 0 && publish.stderr.contains("failed"), "\(publish.stderr)")
    }
}
