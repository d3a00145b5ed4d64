// Looks at a packaged asset the way independent tools do: openssl, ffprobe, ffmpeg, python m3u8.
import Foundation

/// Reads an asset folder written by the ingest, using only tools that none of us wrote.
public struct HLSInspector {
    public let directory: URL
    public let key: [UInt8]

    public init(directory: URL, key: [UInt8]) {
        self.directory = directory
        self.key = key
    }

    public var keyHex: String { key.map { String(format: "%02x", $0) }.joined() }

    /// The media playlist's segment URIs and durations (parsed by the m3u8 package).
    public func segments(of playlist: String) throws -> [(uri: String, duration: Double)] {
        let json = try m3u8(playlist)
        let segments = json["segments"] as? [[String: Any]] ?? []
        return segments.compactMap { segment in
            guard let uri = segment["uri"] as? String, let duration = segment["duration"] as? Double else { return nil }
            return (uri, duration)
        }
    }

    /// The playlist parsed by Python's m3u8 package, as its `data` dictionary.
    public func m3u8(_ playlist: String) throws -> [String: Any] {
        let script = "import json, sys, m3u8; print(json.dumps(m3u8.load(sys.argv[1]).data, default=str))"
        let output = try runChecked(["python3", "-c", script, directory.appendingPathComponent(playlist).path])
        guard let object = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any] else {
            throw TestFailure("m3u8 printed no object for \(playlist)")
        }
        return object
    }

    /// Decrypts one segment with `openssl` (IV = media sequence number) into a temporary file.
    public func decrypt(_ relativePath: String, sequenceNumber: Int) throws -> URL {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("veritas-clear-\(UUID().uuidString).ts")
        try runChecked([
            "openssl", "aes-128-cbc", "-d", "-K", keyHex, "-iv", String(format: "%032x", sequenceNumber),
            "-in", directory.appendingPathComponent(relativePath).path, "-out", output.path,
        ])
        return output
    }

    /// ffprobe's JSON for a file.
    public static func ffprobe(_ file: URL, _ arguments: [String]) throws -> [String: Any] {
        try ffprobe(location: file.isFileURL ? file.path : file.absoluteString, arguments)
    }

    /// ffprobe's JSON for a path or URL.
    public static func ffprobe(location: String, _ arguments: [String]) throws -> [String: Any] {
        let output = try runChecked(["ffprobe", "-v", "error", "-of", "json"] + arguments + [location])
        guard let object = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any] else {
            throw TestFailure("ffprobe printed no object")
        }
        return object
    }

    /// A copy of the asset whose key URI points at a local key file, so stock ffmpeg can play it
    /// from disk; returns the copy's master playlist.
    public func playableCopy() throws -> URL {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("veritas-play-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: directory, to: copy)
        let keyFile = copy.appendingPathComponent("key.bin")
        try Data(key).write(to: keyFile)
        let files = FileManager.default.enumerator(at: copy, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? []
        for file in files where file.pathExtension == "m3u8" {
            let text = try String(contentsOf: file, encoding: .utf8)
            try text.replacingOccurrences(of: "veritas:key", with: keyFile.absoluteString)
                .write(to: file, atomically: true, encoding: .utf8)
        }
        return copy.appendingPathComponent("master.m3u8")
    }
}
