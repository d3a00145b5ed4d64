// Renders the HLS master (multivariant) playlist of an asset (RFC 8216 §4.3.4).
import Foundation

/// The master playlist: one variant per rung, the audio rendition, and I-frame playlists.
public struct MasterPlaylist: Sendable, Equatable {
    /// A video variant (or the audio-only variant when `resolution` is nil).
    public struct Variant: Sendable, Equatable {
        public var uri: String
        public var bandwidth: Int
        public var averageBandwidth: Int
        public var codecs: String
        public var width: Int?
        public var height: Int?
        public var frameRate: Double?
        public var audioGroup: String?

        public init(
            uri: String, bandwidth: Int, averageBandwidth: Int, codecs: String, width: Int? = nil,
            height: Int? = nil, frameRate: Double? = nil, audioGroup: String? = nil
        ) {
            self.uri = uri
            self.bandwidth = bandwidth
            self.averageBandwidth = averageBandwidth
            self.codecs = codecs
            self.width = width
            self.height = height
            self.frameRate = frameRate
            self.audioGroup = audioGroup
        }
    }

    /// An alternative audio rendition (EXT-X-MEDIA TYPE=AUDIO).
    public struct AudioRendition: Sendable, Equatable {
        public var groupID: String
        public var name: String
        public var uri: String
        public var channels: Int

        public init(groupID: String, name: String, uri: String, channels: Int) {
            self.groupID = groupID
            self.name = name
            self.uri = uri
            self.channels = channels
        }
    }

    /// An I-frame playlist of one rung (EXT-X-I-FRAME-STREAM-INF).
    public struct IFrameVariant: Sendable, Equatable {
        public var uri: String
        public var bandwidth: Int
        public var averageBandwidth: Int
        public var codecs: String
        public var width: Int
        public var height: Int

        public init(uri: String, bandwidth: Int, averageBandwidth: Int, codecs: String, width: Int, height: Int) {
            self.uri = uri
            self.bandwidth = bandwidth
            self.averageBandwidth = averageBandwidth
            self.codecs = codecs
            self.width = width
            self.height = height
        }
    }

    public var variants: [Variant]
    public var audio: AudioRendition?
    public var iFrameVariants: [IFrameVariant]

    /// Creates a master playlist.
    public init(variants: [Variant], audio: AudioRendition? = nil, iFrameVariants: [IFrameVariant] = []) {
        self.variants = variants
        self.audio = audio
        self.iFrameVariants = iFrameVariants
    }

    /// The playlist text.
    public func render() -> String {
        var lines = ["#EXTM3U", "#EXT-X-VERSION:\(iFrameVariants.isEmpty ? 3 : 4)", "#EXT-X-INDEPENDENT-SEGMENTS"]
        if let audio {
            lines.append(
                "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"\(audio.groupID)\",NAME=\"\(audio.name)\",DEFAULT=YES,"
                    + "AUTOSELECT=YES,CHANNELS=\"\(audio.channels)\",URI=\"\(audio.uri)\"")
        }
        for variant in variants {
            var attributes = [
                "BANDWIDTH=\(variant.bandwidth)",
                "AVERAGE-BANDWIDTH=\(variant.averageBandwidth)",
                "CODECS=\"\(variant.codecs)\"",
            ]
            if let width = variant.width, let height = variant.height {
                attributes.append("RESOLUTION=\(width)x\(height)")
            }
            if let frameRate = variant.frameRate { attributes.append("FRAME-RATE=\(String(format: "%.3f", frameRate))") }
            if let group = variant.audioGroup { attributes.append("AUDIO=\"\(group)\"") }
            lines.append("#EXT-X-STREAM-INF:" + attributes.joined(separator: ","))
            lines.append(variant.uri)
        }
        for variant in iFrameVariants {
            lines.append(
                "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=\(variant.bandwidth),AVERAGE-BANDWIDTH=\(variant.averageBandwidth),"
                    + "CODECS=\"\(variant.codecs)\",RESOLUTION=\(variant.width)x\(variant.height),URI=\"\(variant.uri)\"")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
