// End to end over generated clips, checked only with tools none of us wrote: ffprobe, ffmpeg,
// openssl and Python's m3u8.
import Foundation
import MediaPipeline
import Synchronization
import TestSupport
import Testing

/// One ingest's output and the tools to look at it.
struct Packaged {
    let source: SourceInfo
    let asset: PackagedAsset
    let inspector: HLSInspector

    static func ingest(_ file: URL, settings: TranscodeSettings = TranscodeSettings()) throws -> Packaged {
        let output = try Fixtures.scratchDirectory("ingest").appendingPathComponent("asset")
        let key = SegmentCipher.randomKey()
        let (source, asset) = try IngestPipeline(sourcePath: file.path, outputDirectory: output, key: key, settings: settings).run()
        return Packaged(source: source, asset: asset, inspector: HLSInspector(directory: output, key: key))
    }

    var videoRenditions: [PackagedAsset.Rendition] { asset.renditions.filter { $0.kind == "video" } }

    /// Decodes the whole master (every variant and the audio rendition) with ffmpeg through the
    /// key, and returns the decoded duration of stream 0 as ffprobe reports it.
    func decodeEverything() throws -> Double {
        let master = try inspector.playableCopy()
        let result = try run(["ffmpeg", "-v", "error", "-allowed_extensions", "ALL", "-i", master.path, "-map", "0", "-f", "null", "-"])
        #expect(result.succeeded, "ffmpeg failed: \(result.stderr)")
        #expect(result.stderr.isEmpty, "ffmpeg reported: \(result.stderr.prefix(2000))")
        let probe = try HLSInspector.ffprobe(master, ["-allowed_extensions", "ALL", "-show_entries", "format=duration"])
        return Double((probe["format"] as? [String: Any])?["duration"] as? String ?? "") ?? 0
    }
}

/// What a progressive ingest had on disk when it called `onPlayable`.
final class EarlyPlaylists: Sendable {
    private let state = Mutex<(calls: Int, first: (master: String, rung: String)?)>((0, nil))

    func record(_ directory: URL) {
        let master = (try? String(contentsOf: directory.appendingPathComponent("master.m3u8"), encoding: .utf8)) ?? ""
        let rung = (try? String(contentsOf: directory.appendingPathComponent("720p/index.m3u8"), encoding: .utf8)) ?? ""
        state.withLock { state in
            state.calls += 1
            if state.first == nil { state.first = (master, rung) }
        }
    }

    var calls: Int { state.withLock { $0.calls } }
    var first: (master: String, rung: String)? { state.withLock { $0.first } }
}

@Suite(.serialized) struct IngestPipelineTests {
    @Test func aProgressiveIngestIsPlayableEarlyAndEndsAsTheSameAlignedLadder() throws {
        let output = try Fixtures.scratchDirectory("progressive").appendingPathComponent("asset")
        let key = SegmentCipher.randomKey()
        let seen = EarlyPlaylists()
        let (source, asset) = try IngestPipeline(
            sourcePath: try Fixtures.video(width: 1280, height: 720, seconds: 14).path, outputDirectory: output, key: key,
            settings: TranscodeSettings()
        ).run(onPlayable: { seen.record(output) })
        // When it became playable: a master playlist and growing EVENT playlists with a 2 s first segment.
        let early = try #require(seen.first, "onPlayable was never called")
        #expect(seen.calls == 1)
        #expect(early.master.contains("720p/index.m3u8") && early.master.contains("360p/index.m3u8"), "\(early.master)")
        #expect(early.rung.contains("#EXT-X-PLAYLIST-TYPE:EVENT") && !early.rung.contains("#EXT-X-ENDLIST"), "\(early.rung)")
        #expect(early.rung.contains("#EXTINF:2.000,\ns00000.ts"), "\(early.rung)")
        // At the end: VOD playlists, 2 s then 6 s segments, aligned and decodable like any ladder.
        let packaged = Packaged(source: source, asset: asset, inspector: HLSInspector(directory: output, key: key))
        let durations = try packaged.inspector.segments(of: "720p/index.m3u8").map(\.duration)
        #expect(abs(durations[0] - 2) < 0.01 && abs(durations[1] - 6) < 0.01, "\(durations)")
        try checkLadder(packaged, sourceDuration: 14)
    }

    @Test func fullHDClipBecomesAnAlignedEncryptedLadder() throws {
        let packaged = try Packaged.ingest(try Fixtures.video(width: 1920, height: 1080, seconds: 8))
        #expect(packaged.videoRenditions.map(\.name) == ["1080p", "720p", "480p", "360p"])
        try checkLadder(packaged, sourceDuration: 8)
    }

    @Test func sevenTwentyClipIsNotUpscaledAndEndsWithAShortSegment() throws {
        let packaged = try Packaged.ingest(try Fixtures.video(width: 1280, height: 720, seconds: 14, rate: 25))
        #expect(packaged.videoRenditions.map { "\($0.width ?? 0)x\($0.height ?? 0)" } == ["1280x720", "854x480", "640x360"])
        #expect(packaged.videoRenditions.allSatisfy { $0.segmentCount == 3 })
        try checkLadder(packaged, sourceDuration: 14)
    }

    @Test func portraitSourceGetsPortraitRungs() throws {
        let packaged = try Packaged.ingest(try Fixtures.video(width: 720, height: 1280, seconds: 4))
        #expect(packaged.videoRenditions.map { "\($0.width ?? 0)x\($0.height ?? 0)" } == ["720x1280", "480x854", "360x640"])
        try checkLadder(packaged, sourceDuration: 4)
    }

    @Test func rotatedPhoneClipIsEncodedUprightAsPlayersShowIt() throws {
        let source = try Fixtures.rotatedPhoneClip()
        let packaged = try Packaged.ingest(source)
        #expect([90, 270].contains(packaged.source.video?.rotation ?? 0))
        #expect(packaged.videoRenditions.first.map { "\($0.width ?? 0)x\($0.height ?? 0)" } == "360x640")
        // ffmpeg applies the display matrix when decoding the source: our upright picture must
        // look the same, and carry no rotation of its own.
        let reference = try rgbPixels(of: source, width: 36, height: 64)
        let top = packaged.videoRenditions[0]
        let clear = try packaged.inspector.decrypt("\(top.name)/s00000.ts", sequenceNumber: 0)
        let output = try rgbPixels(of: clear, width: 36, height: 64)
        for (x, y) in [(18, 5), (18, 58), (3, 32), (32, 32)] {
            let expected = reference[y * 36 + x], actual = output[y * 36 + x]
            #expect(abs(expected.red - actual.red) < 40 && abs(expected.blue - actual.blue) < 40, "at \(x),\(y): \(actual) vs \(expected)")
        }
        #expect(reference[5 * 36 + 18].red != reference[58 * 36 + 18].red, "the fixture is not two-coloured top to bottom")
        let side = try HLSInspector.ffprobe(clear, ["-show_streams"])
        let stream = (side["streams"] as? [[String: Any]])?.first
        #expect(stream?["side_data_list"] == nil, "output still carries a rotation")
    }

    @Test func sourceWithoutAudioHasNoAudioGroup() throws {
        let packaged = try Packaged.ingest(try Fixtures.video(width: 640, height: 360, seconds: 4, audio: false))
        #expect(!packaged.asset.renditions.contains { $0.kind == "audio" })
        let master = try String(contentsOf: packaged.inspector.directory.appendingPathComponent("master.m3u8"), encoding: .utf8)
        #expect(!master.contains("EXT-X-MEDIA"))
        #expect(!master.contains("mp4a"))
        try checkLadder(packaged, sourceDuration: 4)
    }

    @Test func podcastGetsAACHLSAndAnM4AEnclosure() throws {
        let packaged = try Packaged.ingest(try Fixtures.audio(seconds: 15))
        #expect(packaged.asset.renditions.map(\.kind) == ["audio"])
        #expect(packaged.asset.poster == nil)
        let enclosure = packaged.inspector.directory.appendingPathComponent(try #require(packaged.asset.enclosure))
        let probe = try HLSInspector.ffprobe(enclosure, ["-show_streams", "-show_format"])
        let stream = try #require((probe["streams"] as? [[String: Any]])?.first)
        #expect(stream["codec_name"] as? String == "aac")
        #expect(stream["profile"] as? String == "LC")
        #expect(stream["channels"] as? Int == 1, "mono stays mono")
        let format = try #require(probe["format"] as? [String: Any])
        #expect(abs((Double(format["duration"] as? String ?? "") ?? 0) - 15) < 0.1)
        #expect((format["format_name"] as? String)?.contains("mp4") == true)
        let master = try packaged.inspector.m3u8("master.m3u8")
        let variants = try #require(master["playlists"] as? [[String: Any]])
        #expect(variants.count == 1)
        #expect((variants[0]["stream_info"] as? [String: Any])?["codecs"] as? String == "mp4a.40.2")
        #expect(abs(try packaged.decodeEverything() - 15) < 0.2)
    }

    @Test(arguments: [
        ("zero.mp4", Data()),
        ("garbage.mp4", Data((0..<65_536).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) })),
        ("notes.mp4", Data("These are meeting notes, not a video.\n".utf8)),
    ])
    func unreadableFilesFailClearly(name: String, contents: Data) throws {
        let file = try Fixtures.scratchDirectory("bad").appendingPathComponent(name)
        try contents.write(to: file)
        let error = try #require(throws: MediaError.self) { try Packaged.ingest(file) }
        #expect(error.reason.contains("not a media file"), "\(error.reason)")
    }

    @Test func stillImageIsNotAVideo() throws {
        let image = try Fixtures.generated("still.png", ["-f", "lavfi", "-i", "testsrc2=size=320x240", "-frames:v", "1"])
        let error = try #require(throws: MediaError.self) { try Packaged.ingest(image) }
        #expect(error.reason.contains("shorter than one second"), "\(error.reason)")
    }

    @Test func fileWithOnlySubtitlesHasNoStreamToIngest() throws {
        let folder = try Fixtures.scratchDirectory("subs")
        let subtitles = folder.appendingPathComponent("s.srt")
        try "1\n00:00:00,000 --> 00:00:05,000\nHello\n".write(to: subtitles, atomically: true, encoding: .utf8)
        let file = folder.appendingPathComponent("subs.mkv")
        try runChecked(["ffmpeg", "-v", "error", "-i", subtitles.path, file.path])
        let error = try #require(throws: MediaError.self) { try Packaged.ingest(file) }
        #expect(error.reason.contains("no video or audio stream"), "\(error.reason)")
    }

    @Test func truncatedFileFailsInsteadOfYieldingAShortEpisode() throws {
        let source = try Fixtures.generated(
            "faststart.mp4",
            ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=10", "-c:v", "libx264", "-preset", "ultrafast",
             "-movflags", "+faststart"])
        let bytes = try Data(contentsOf: source)
        let file = try Fixtures.scratchDirectory("cut").appendingPathComponent("cut.mp4")
        try bytes.prefix(bytes.count / 2).write(to: file)
        let error = try #require(throws: MediaError.self) { try Packaged.ingest(file) }
        #expect(error.reason.contains("truncated"), "\(error.reason)")
    }

    @Test func cancellationStopsTheIngest() throws {
        let output = try Fixtures.scratchDirectory("cancel").appendingPathComponent("asset")
        let pipeline = IngestPipeline(
            sourcePath: try Fixtures.video(width: 640, height: 360, seconds: 4).path, outputDirectory: output,
            key: SegmentCipher.randomKey(), settings: TranscodeSettings())
        #expect(throws: IngestPipeline.interrupted) { try pipeline.run(isCancelled: { true }) }
    }

    // MARK: - Checks shared by the ladder tests

    /// Every rung: right codec and size, each segment starts with a keyframe and is within target
    /// + 0.5 s, segment boundaries are the same in every rung, bit rates match the master's
    /// figures, the poster is a JPEG, and ffmpeg decodes everything through the key.
    func checkLadder(_ packaged: Packaged, sourceDuration: Double) throws {
        let inspector = packaged.inspector
        var boundaries: [[Double]] = []
        let master = try inspector.m3u8("master.m3u8")
        let variants = try #require(master["playlists"] as? [[String: Any]])
        let audio = packaged.asset.renditions.first { $0.kind == "audio" }
        for rendition in packaged.videoRenditions {
            let playlist = try inspector.m3u8(rendition.playlist)
            #expect(playlist["is_endlist"] as? Bool == true)
            #expect(playlist["playlist_type"] as? String == "vod")
            let keys = playlist["keys"] as? [[String: Any]?] ?? []
            #expect(keys.compactMap { $0?["method"] as? String } == ["AES-128"])
            let target = try #require(playlist["targetduration"] as? Int)
            let segments = try inspector.segments(of: rendition.playlist)
            #expect(target <= 6 && target == Int((segments.map(\.duration).max() ?? 0).rounded()))
            #expect(segments.count == rendition.segmentCount)
            var starts: [Double] = []
            var bytes = 0
            var peak = 0.0
            for (index, segment) in segments.enumerated() {
                #expect(segment.duration <= Double(target) + 0.5)
                let path = "\(rendition.name)/\(segment.uri)"
                let size = try FileManager.default.attributesOfItem(atPath: inspector.directory.appendingPathComponent(path).path)[.size] as? Int ?? 0
                bytes += size
                peak = max(peak, Double(size * 8) / segment.duration)
                let clear = try inspector.decrypt(path, sequenceNumber: index)
                let probe = try HLSInspector.ffprobe(clear, [
                    "-select_streams", "v:0", "-show_streams", "-show_frames", "-read_intervals", "%+#1",
                    "-show_entries", "stream=codec_name,width,height,profile:frame=key_frame,pict_type,pts_time",
                ])
                let stream = try #require((probe["streams"] as? [[String: Any]])?.first)
                #expect(stream["codec_name"] as? String == "h264")
                #expect(stream["width"] as? Int == rendition.width && stream["height"] as? Int == rendition.height)
                let frame = try #require((probe["frames"] as? [[String: Any]])?.first)
                #expect(frame["key_frame"] as? Int == 1 && frame["pict_type"] as? String == "I", "\(path) starts with \(frame)")
                starts.append(Double(frame["pts_time"] as? String ?? "") ?? -1)
            }
            boundaries.append(starts)
            let duration = segments.reduce(0) { $0 + $1.duration }
            #expect(abs(duration - sourceDuration) < 0.1)
            let variant = try #require(variants.first { $0["uri"] as? String == rendition.playlist })
            let info = try #require(variant["stream_info"] as? [String: Any])
            let audioPeak = Double(audio?.bandwidth ?? 0), audioAverage = Double(audio?.averageBandwidth ?? 0)
            let bandwidth = Double(info["bandwidth"] as? Int ?? 0), average = Double(info["average_bandwidth"] as? Int ?? 0)
            #expect(abs(bandwidth - (peak + audioPeak)) / bandwidth < 0.1)
            #expect(abs(average - (Double(bytes * 8) / duration + audioAverage)) / average < 0.1)
            #expect(info["resolution"] as? String == "\(rendition.width ?? 0)x\(rendition.height ?? 0)")
            #expect((info["codecs"] as? String)?.hasPrefix(rendition.codecs) == true)
            #expect(rendition.codecs.hasPrefix("avc1.64"), "High profile expected, got \(rendition.codecs)")
            #expect(info["frame_rate"] != nil)
            let iFrames = try inspector.m3u8(try #require(rendition.iFramePlaylist))
            #expect(iFrames["is_i_frames_only"] as? Bool == true)
        }
        for starts in boundaries.dropFirst() {
            #expect(starts.count == boundaries[0].count)
            for (a, b) in zip(starts, boundaries[0]) { #expect(abs(a - b) < 0.001, "rungs cut at \(a) and \(b)") }
        }
        let iFrameVariants = master["iframe_playlists"] as? [[String: Any]] ?? []
        #expect(iFrameVariants.count == packaged.videoRenditions.count)
        if let audio {
            let media = master["media"] as? [[String: Any]] ?? []
            #expect(media.contains { $0["type"] as? String == "AUDIO" && $0["uri"] as? String == audio.playlist })
            #expect(variants.contains { ($0["stream_info"] as? [String: Any])?["codecs"] as? String == audio.codecs })
        }
        let poster = inspector.directory.appendingPathComponent(try #require(packaged.asset.poster))
        let posterProbe = try HLSInspector.ffprobe(poster, ["-show_streams"])
        let posterStream = try #require((posterProbe["streams"] as? [[String: Any]])?.first)
        #expect(posterStream["codec_name"] as? String == "mjpeg")
        #expect((posterStream["width"] as? Int ?? 0) <= 1280)
        #expect(abs(try packaged.decodeEverything() - sourceDuration) < 0.2)
    }

    /// The first frame of `file` scaled to `width`×`height`, as RGB triples.
    func rgbPixels(of file: URL, width: Int, height: Int) throws -> [(red: Int, green: Int, blue: Int)] {
        let raw = FileManager.default.temporaryDirectory.appendingPathComponent("veritas-\(UUID().uuidString).rgb")
        defer { try? FileManager.default.removeItem(at: raw) }
        try runChecked(["ffmpeg", "-v", "error", "-i", file.path, "-frames:v", "1", "-vf", "scale=\(width):\(height)",
                        "-f", "rawvideo", "-pix_fmt", "rgb24", raw.path])
        let bytes = [UInt8](try Data(contentsOf: raw))
        return stride(from: 0, to: bytes.count - 2, by: 3).map { (Int(bytes[$0]), Int(bytes[$0 + 1]), Int(bytes[$0 + 2])) }
    }
}
