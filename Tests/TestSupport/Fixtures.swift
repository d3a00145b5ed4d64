// Sample media for tests, generated on demand with the ffmpeg command from its test sources.
import Foundation

/// Generated source clips, cached for the test process.
public enum Fixtures {
    /// A folder of this test process's fixtures.
    public static let directory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("veritas-fixtures-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// A fresh empty folder for one test.
    public static func scratchDirectory(_ label: String) throws -> URL {
        _ = TestProcessCleanup.sweepOldScratchFolders
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("veritas-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The file `name`, made by `ffmpeg <arguments> file` the first time it is asked for.
    public static func generated(_ name: String, _ arguments: [String]) throws -> URL {
        let file = directory.appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: file.path) { return file }
        let partial = directory.appendingPathComponent("\(UUID().uuidString)-\(name)")
        try runChecked(["ffmpeg", "-nostdin", "-v", "error", "-y"] + arguments + [partial.path])
        _ = try? FileManager.default.moveItem(at: partial, to: file)
        try? FileManager.default.removeItem(at: partial)
        return file
    }

    /// A landscape clip with a tone: `width`×`height`, `seconds` long, H.264 + AAC in MP4.
    public static func video(width: Int, height: Int, seconds: Double, audio: Bool = true, rate: Int = 30) throws -> URL {
        var arguments = ["-f", "lavfi", "-i", "testsrc2=size=\(width)x\(height):rate=\(rate):duration=\(seconds)"]
        if audio { arguments += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=\(seconds)"] }
        arguments += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
        if audio { arguments += ["-c:a", "aac", "-shortest"] }
        return try generated("video-\(width)x\(height)-\(seconds)s\(audio ? "" : "-silent")-\(rate).mp4", arguments)
    }

    /// A phone-style clip: coded 640×360 with a red left half and a blue right half, with a
    /// display matrix that tells players to show it rotated by a quarter turn (portrait).
    public static func rotatedPhoneClip() throws -> URL {
        let coded = try generated(
            "phone-coded.mp4",
            [
                "-f", "lavfi", "-i", "color=red:size=320x360:rate=30:duration=4",
                "-f", "lavfi", "-i", "color=blue:size=320x360:rate=30:duration=4",
                "-f", "lavfi", "-i", "sine=frequency=300:sample_rate=44100:duration=4",
                "-filter_complex", "[0][1]hstack", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-c:a", "aac",
            ])
        // FFmpeg 5.1 writes the rotation tag as a display matrix only when stream-copying.
        return try generated("phone-rotated.mp4", ["-i", coded.path, "-c", "copy", "-metadata:s:v:0", "rotate=90"])
    }

    /// A podcast-style audio file: `seconds` of a tone, WAV, mono by default.
    public static func audio(seconds: Double, channels: Int = 1, sampleRate: Int = 44_100) throws -> URL {
        try generated(
            "audio-\(seconds)s-\(channels)ch-\(sampleRate).wav",
            ["-f", "lavfi", "-i", "sine=frequency=220:sample_rate=\(sampleRate):duration=\(seconds)", "-ac", "\(channels)"])
    }
}
