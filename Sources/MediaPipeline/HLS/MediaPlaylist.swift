// Renders HLS media playlists (RFC 8216 §4.3.3) for segment and I-frame renditions.
import Foundation

/// One media segment as a playlist lists it.
public struct SegmentRecord: Codable, Sendable, Equatable {
    /// The segment's URI, relative to its playlist.
    public var uri: String
    /// The segment's duration in seconds.
    public var duration: Double
    /// The segment's size on disk (encrypted), in bytes.
    public var byteCount: Int

    /// Creates a record.
    public init(uri: String, duration: Double, byteCount: Int) {
        self.uri = uri
        self.duration = duration
        self.byteCount = byteCount
    }
}

/// An HLS media playlist: encrypted segments in order, as VOD or as a still-growing event.
public struct MediaPlaylist: Sendable, Equatable {
    /// The key URI written into stored playlists; the server replaces it with a tokenised one.
    public static let keyPlaceholder = "veritas:key"

    /// The segments in playback order.
    public var segments: [SegmentRecord]
    /// The AES-128 key URI, or nil for clear segments.
    public var keyURI: String?
    /// Whether this lists I-frames only (trick play).
    public var iFramesOnly: Bool
    /// Whether every segment is listed (VOD with ENDLIST) or more will come (EVENT).
    public var isComplete: Bool

    /// Creates a playlist.
    public init(segments: [SegmentRecord], keyURI: String? = keyPlaceholder, iFramesOnly: Bool = false, isComplete: Bool = true) {
        self.segments = segments
        self.keyURI = keyURI
        self.iFramesOnly = iFramesOnly
        self.isComplete = isComplete
    }

    /// EXT-X-TARGETDURATION: every EXTINF rounded to the nearest integer is at most this.
    public var targetDuration: Int {
        max(1, Int((segments.map(\.duration).max() ?? 1).rounded()))
    }

    /// The protocol version the tags need: 4 for EXT-X-I-FRAMES-ONLY, 3 for decimal EXTINF.
    public var version: Int { iFramesOnly ? 4 : 3 }

    /// The playlist text.
    public func render() -> String {
        var lines = [
            "#EXTM3U",
            "#EXT-X-VERSION:\(version)",
            "#EXT-X-TARGETDURATION:\(targetDuration)",
            "#EXT-X-MEDIA-SEQUENCE:0",
            "#EXT-X-PLAYLIST-TYPE:\(isComplete ? "VOD" : "EVENT")",
            "#EXT-X-INDEPENDENT-SEGMENTS",
        ]
        if iFramesOnly { lines.append("#EXT-X-I-FRAMES-ONLY") }
        if let keyURI { lines.append("#EXT-X-KEY:METHOD=AES-128,URI=\"\(keyURI)\"") }
        for segment in segments {
            lines.append("#EXTINF:\(String(format: "%.3f", segment.duration)),")
            lines.append(segment.uri)
        }
        if isComplete { lines.append("#EXT-X-ENDLIST") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Peak segment bit rate in bits per second (Apple's BANDWIDTH), rounded up.
    public var peakBitrate: Int {
        segments.filter { $0.duration > 0 }.map { Int((Double($0.byteCount * 8) / $0.duration).rounded(.up)) }.max() ?? 0
    }

    /// Average bit rate over the whole playlist in bits per second (AVERAGE-BANDWIDTH), rounded up.
    public var averageBitrate: Int {
        let duration = segments.reduce(0) { $0 + $1.duration }
        guard duration > 0 else { return 0 }
        return Int((Double(segments.reduce(0) { $0 + $1.byteCount } * 8) / duration).rounded(.up))
    }
}
