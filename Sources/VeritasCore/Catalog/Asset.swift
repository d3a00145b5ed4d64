// A media asset: the source's facts, the ingest's state and the packaged output.
import Foundation
import MediaPipeline

/// Where an asset is in its life.
public enum AssetStatus: String, Codable, Sendable {
    case queued, processing, ready, failed
}

/// The media behind an episode.
public struct Asset: Codable, Sendable, Equatable {
    public var id: String
    public var status: AssetStatus
    /// 0–1 while processing.
    public var progress: Double
    /// Why the ingest failed, in a sentence.
    public var failureReason: String?
    /// The file the asset was made from.
    public var sourcePath: String
    public var source: SourceInfo?
    /// Decoded duration in seconds, once ready.
    public var duration: Double?
    /// The AES-128 content key, sealed with the media directory's wrapping key.
    public var sealedKey: Data
    /// Paths relative to the asset's folder.
    public var masterPlaylist: String?
    public var poster: String?
    public var enclosure: String?
    /// Its playlists are on disk while the ingest still runs (progressive publishing).
    public var isPlayable: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, sourcePath: String, sealedKey: Data, status: AssetStatus = .queued, now: Date = Date()) {
        self.id = id
        self.status = status
        progress = 0
        isPlayable = false
        self.sourcePath = sourcePath
        self.sealedKey = sealedKey
        createdAt = now
        updatedAt = now
    }
}

extension Asset {
    /// Whether players may stream it: it is ready, or its ingest has published playlists that grow
    /// as it runs.
    public var isStreamable: Bool { status == .ready || (isPlayable && status != .failed) }

    /// Still being transcoded (its playlists are EVENT playlists without an end).
    public var isProcessing: Bool { status != .ready }
}

/// One packaged rendition of a ready asset.
public struct Rendition: Codable, Sendable, Equatable {
    public var assetID: String
    public var name: String
    /// `video` or `audio`.
    public var kind: String
    public var width: Int?
    public var height: Int?
    public var frameRate: Double?
    public var bandwidth: Int
    public var averageBandwidth: Int
    public var codecs: String
    public var playlist: String
    public var iFramePlaylist: String?
    public var segmentCount: Int

    init(assetID: String, _ rendition: PackagedAsset.Rendition) {
        self.assetID = assetID
        name = rendition.name
        kind = rendition.kind
        width = rendition.width
        height = rendition.height
        frameRate = rendition.frameRate
        bandwidth = rendition.bandwidth
        averageBandwidth = rendition.averageBandwidth
        codecs = rendition.codecs
        playlist = rendition.playlist
        iFramePlaylist = rendition.iFramePlaylist
        segmentCount = rendition.segmentCount
    }
}
