// What an ingest produced: the renditions on disk and their measured figures.

/// The outcome of a successful ingest; every path is relative to the output folder.
public struct PackagedAsset: Codable, Sendable, Equatable {
    /// One rendition (a video rung or the audio).
    public struct Rendition: Codable, Sendable, Equatable {
        /// `video` or `audio`.
        public var kind: String
        /// `1080p`, `720p`, … or `audio`; also the folder of its files.
        public var name: String
        public var width: Int?
        public var height: Int?
        public var frameRate: Double?
        /// Measured peak segment bit rate (bits/s).
        public var bandwidth: Int
        /// Measured average bit rate (bits/s).
        public var averageBandwidth: Int
        public var codecs: String
        public var playlist: String
        public var iFramePlaylist: String?
        public var segmentCount: Int

        public init(
            kind: String, name: String, width: Int? = nil, height: Int? = nil, frameRate: Double? = nil, bandwidth: Int,
            averageBandwidth: Int, codecs: String, playlist: String, iFramePlaylist: String? = nil, segmentCount: Int
        ) {
            self.kind = kind
            self.name = name
            self.width = width
            self.height = height
            self.frameRate = frameRate
            self.bandwidth = bandwidth
            self.averageBandwidth = averageBandwidth
            self.codecs = codecs
            self.playlist = playlist
            self.iFramePlaylist = iFramePlaylist
            self.segmentCount = segmentCount
        }
    }

    /// Decoded duration in seconds.
    public var duration: Double
    public var master: String
    public var renditions: [Rendition]
    public var poster: String?
    public var enclosure: String?

    public init(duration: Double, master: String, renditions: [Rendition], poster: String?, enclosure: String?) {
        self.duration = duration
        self.master = master
        self.renditions = renditions
        self.poster = poster
        self.enclosure = enclosure
    }
}
