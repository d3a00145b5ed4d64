// Builds an asset's master playlist and rendition list from its renditions' media playlists.
import Foundation

/// One rendition's media playlist and what the master playlist says of it.
struct RenditionPlaylists {
    /// `720p`, `audio`, …: also the rendition's folder.
    var name: String
    var width: Int?
    var height: Int?
    var frameRate: Double?
    var codecs: String
    var playlist: MediaPlaylist
    /// The I-frame playlist of a video rung, once it is complete.
    var iFrames: MediaPlaylist?

    var isVideo: Bool { width != nil }
    var playlistPath: String { "\(name)/index.m3u8" }
    var iFramesPath: String { "\(name)/iframes.m3u8" }
}

/// The master playlist of a ladder: every video rung (with the audio rendition as its audio
/// group), the audio-only variant, and the I-frame playlists that exist; highest bandwidth first.
enum LadderPlaylists {
    static func master(video: [RenditionPlaylists], audio: RenditionPlaylists?, audioChannels: Int) -> MasterPlaylist {
        let group = audio != nil && !video.isEmpty
            ? MasterPlaylist.AudioRendition(groupID: "audio", name: "Main", uri: "audio/index.m3u8", channels: audioChannels) : nil
        var variants = video.map { rung in
            MasterPlaylist.Variant(
                uri: rung.playlistPath,
                bandwidth: rung.playlist.peakBitrate + (audio?.playlist.peakBitrate ?? 0),
                averageBandwidth: rung.playlist.averageBitrate + (audio?.playlist.averageBitrate ?? 0),
                codecs: [rung.codecs, audio?.codecs].compactMap { $0 }.joined(separator: ","),
                width: rung.width, height: rung.height, frameRate: rung.frameRate, audioGroup: group?.groupID)
        }
        if let audio {
            variants.append(.init(
                uri: audio.playlistPath, bandwidth: audio.playlist.peakBitrate, averageBandwidth: audio.playlist.averageBitrate,
                codecs: audio.codecs, audioGroup: group?.groupID))
        }
        variants.sort { $0.bandwidth > $1.bandwidth }
        let iFrames = video.compactMap { rung -> MasterPlaylist.IFrameVariant? in
            guard let iFrames = rung.iFrames, let width = rung.width, let height = rung.height else { return nil }
            return .init(
                uri: rung.iFramesPath, bandwidth: iFrames.peakBitrate, averageBandwidth: iFrames.averageBitrate, codecs: rung.codecs,
                width: width, height: height)
        }
        return MasterPlaylist(variants: variants, audio: group, iFrameVariants: iFrames)
    }
}
