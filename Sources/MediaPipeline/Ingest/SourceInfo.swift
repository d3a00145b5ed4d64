// What probing a source file tells: container, streams and the facts the ladder needs.

/// A source file's metadata, stored with its asset.
public struct SourceInfo: Codable, Sendable, Equatable {
    /// One stream of the container.
    public struct Stream: Codable, Sendable, Equatable {
        public var index: Int
        /// `video`, `audio`, `subtitle`, `data` or `attachment`.
        public var kind: String
        public var codec: String
        /// Cover art carried as a one-picture video stream (MP3/M4A artwork).
        public var isAttachedPicture: Bool
    }

    /// The video stream the ladder is made from.
    public struct Video: Codable, Sendable, Equatable {
        public var index: Int
        public var codec: String
        /// Coded size.
        public var width: Int
        public var height: Int
        /// Size as displayed: pixel aspect applied, then rotation.
        public var displayWidth: Int
        public var displayHeight: Int
        /// Clockwise rotation in degrees a player applies (0, 90, 180 or 270).
        public var rotation: Int
        public var frameRate: Double
    }

    /// The audio stream that is encoded.
    public struct Audio: Codable, Sendable, Equatable {
        public var index: Int
        public var codec: String
        public var sampleRate: Int
        public var channels: Int
    }

    /// libavformat's name of the container, e.g. `mov,mp4,m4a,3gp,3g2,mj2`.
    public var container: String
    /// Duration in seconds, when the container declares it.
    public var duration: Double?
    public var streams: [Stream]
    public var video: Video?
    public var audio: Audio?
    /// Chapter marks of the container (M4A chapters, ID3 CHAP frames, Matroska chapters);
    /// nil in facts recorded before chapters were read.
    public var chapters: [Chapter]?
    /// The container's descriptive tags (ID3, MP4 `©nam`, Matroska `TITLE`, …); nil in facts
    /// recorded before tags were read.
    public var tags: Tags?

    /// What a file says of itself: used as defaults for an episode's title and description.
    public struct Tags: Codable, Sendable, Equatable {
        public var title: String?
        /// The comment or description tag.
        public var description: String?

        public init(title: String? = nil, description: String? = nil) {
            self.title = title
            self.description = description
        }
    }

    /// A chapter mark: where it starts and what it is called.
    public struct Chapter: Codable, Sendable, Equatable {
        public var start: Double
        public var title: String
    }

    public init(
        container: String, duration: Double?, streams: [Stream], video: Video?, audio: Audio?, chapters: [Chapter] = [],
        tags: Tags = Tags()
    ) {
        self.tags = tags
        self.container = container
        self.duration = duration
        self.streams = streams
        self.video = video
        self.audio = audio
        self.chapters = chapters
    }
}
