// Podcast audio: every audio-only ingest comes out at −16 LUFS with true peaks under −1 dBTP,
// as measured by ffmpeg's own ebur128 filter (a meter none of us wrote), and cover art becomes
// the poster.
import Foundation
import TestSupport
import Testing
@testable import MediaPipeline

@Suite struct PodcastAudioTests {
    /// Integrated loudness (LUFS) and true peak (dBTP) of `file`, from ffmpeg's ebur128 summary.
    func measure(_ file: URL) throws -> (integrated: Double, truePeak: Double) {
        let result = try run(["ffmpeg", "-nostats", "-i", file.path, "-af", "ebur128=peak=true", "-f", "null", "-"])
        let summary = result.stderr.components(separatedBy: "Summary:").last ?? ""
        func value(after label: String) -> Double? {
            guard let line = summary.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label) }) else {
                return nil
            }
            let number = line.split(separator: " ").dropFirst().first { Double($0) != nil || $0 == "-inf" }
            return number.flatMap { $0 == "-inf" ? -.infinity : Double($0) }
        }
        return (value(after: "I:") ?? .nan, value(after: "Peak:") ?? .nan)
    }

    static let sources: [(name: String, arguments: [String])] = [
        ("quiet-mono.wav", ["-f", "lavfi", "-i", "sine=frequency=440:duration=20,volume=-30dB", "-ac", "1"]),
        ("loud-stereo.flac", ["-f", "lavfi", "-i", "anoisesrc=d=20:c=pink:a=0.9", "-ac", "2", "-ar", "48000"]),
        ("phone-8k.wav", ["-f", "lavfi", "-i", "sine=frequency=300:duration=20:sample_rate=8000", "-ac", "1"]),
        ("surround-5.1.flac", ["-f", "lavfi", "-i", "anoisesrc=d=20:c=brown:a=0.3", "-af", "pan=5.1|c0=c0|c1=c0|c2=c0|c3=c0|c4=c0|c5=c0"]),
    ]

    @Test(arguments: sources.map(\.name))
    func podcastsComeOutAtMinus16LUFS(name: String) throws {
        let source = try Fixtures.generated(name, Self.sources.first { $0.name == name }?.arguments ?? [])
        let packaged = try Packaged.ingest(source)
        let enclosure = packaged.inspector.directory.appendingPathComponent(try #require(packaged.asset.enclosure))
        let (integrated, truePeak) = try measure(enclosure)
        #expect(abs(integrated - Loudness.podcastTarget) <= 1, "\(name): \(integrated) LUFS")
        #expect(truePeak <= Loudness.peakCeiling, "\(name): \(truePeak) dBTP")
        #expect(abs(try packaged.decodeEverything() - 20) < 0.2)
    }

    @Test func silenceStaysSilentAndIsStillPackaged() throws {
        let source = try Fixtures.generated("silence.wav", ["-f", "lavfi", "-i", "anullsrc=r=44100:cl=mono", "-t", "5"])
        let packaged = try Packaged.ingest(source)
        let enclosure = packaged.inspector.directory.appendingPathComponent(try #require(packaged.asset.enclosure))
        #expect(try measure(enclosure).integrated <= -70)
        #expect(abs(try packaged.decodeEverything() - 5) < 0.2)
    }

    /// A long programme is measured in two stretches on two cores; the loudness and the true
    /// peak must still be those of the whole, wherever the loudest moment is, as ffmpeg's own
    /// meter reads the source.
    @Test(arguments: [10, 60, 140])
    func aLongProgrammeMeasuredInTwoStretchesReadsLikeTheWhole(burstAt: Int) throws {
        let source = try Fixtures.generated(
            "long-burst-\(burstAt).wav",
            ["-f", "lavfi", "-i",
             "aevalsrc=0.02*sin(2*PI*300*t)+if(between(t\\,\(burstAt)\\,\(burstAt).4)\\,0.8*sin(2*PI*3000*t+0.7)\\,0):d=150:s=44100",
             "-ac", "1"])
        let reference = try measure(source)
        let split = try Loudness.measure(path: source.path, streamIndex: 0, layout: "mono", duration: 150)
        let whole = try Loudness.measure(path: source.path, streamIndex: 0, layout: "mono", duration: 0)
        #expect(abs(split.integrated - whole.integrated) < 0.05, "\(split) \(whole)")
        #expect(abs(split.truePeak - whole.truePeak) < 0.05, "\(split) \(whole)")
        #expect(abs(split.integrated - reference.integrated) < 0.15, "\(split) against ffmpeg's \(reference)")
        #expect(abs(split.truePeak - reference.truePeak) < 0.15, "\(split) against ffmpeg's \(reference)")
        // The burst is what the true peak comes from (a quiet tone alone peaks near -34 dBTP).
        #expect(split.truePeak > -3)
    }

    @Test func theFilterIsAGainAndALimiterOnlyWhenPeaksNeedIt() {
        #expect(Loudness(integrated: -30, truePeak: -20).normalisingFilter(layout: "mono") == "aformat=channel_layouts=mono,volume=14.00dB")
        #expect(Loudness(integrated: -20, truePeak: -2).normalisingFilter(layout: "stereo")?.contains("alimiter") == true)
        #expect(Loudness(integrated: -.infinity, truePeak: -.infinity).normalisingFilter(layout: "mono") == nil)
        #expect(Loudness(integrated: -16.01, truePeak: -5).normalisingFilter(layout: "mono") == nil)
    }

    @Test func anMP3sCoverArtBecomesThePoster() throws {
        let cover = try Fixtures.generated("cover.png", ["-f", "lavfi", "-i", "testsrc2=size=640x640:duration=1", "-frames:v", "1"])
        let source = try Fixtures.generated(
            "with-cover.mp3",
            ["-f", "lavfi", "-i", "sine=frequency=300:duration=6", "-i", cover.path, "-map", "0", "-map", "1", "-c:a", "libmp3lame",
             "-c:v", "png", "-id3v2_version", "3", "-metadata:s:v", "comment=Cover (front)"])
        let packaged = try Packaged.ingest(source)
        #expect(packaged.asset.renditions.map(\.kind) == ["audio"], "the cover is not a video")
        let poster = packaged.inspector.directory.appendingPathComponent(try #require(packaged.asset.poster))
        let stream = try #require((try HLSInspector.ffprobe(poster, ["-show_streams"])["streams"] as? [[String: Any]])?.first)
        #expect(stream["codec_name"] as? String == "mjpeg" && stream["width"] as? Int == 640 && stream["height"] as? Int == 640)
    }
}
