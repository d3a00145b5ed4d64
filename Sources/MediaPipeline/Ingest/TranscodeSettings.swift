// The knobs of an ingest, filled from the configuration file.

/// How sources are transcoded and packaged.
public struct TranscodeSettings: Sendable, Equatable {
    /// The ladder's steps (short side and video bit rate).
    public var ladder: [LadderStep]
    /// libx264 preset, e.g. `veryfast`.
    public var x264Preset: String
    /// AAC bit rate in bits per second.
    public var audioBitrate: Int
    /// Target segment duration in seconds.
    public var segmentDuration: Double
    /// Keyframe interval in seconds (divides the segment duration).
    public var keyframeInterval: Double

    /// SPEC §3's defaults.
    public init(
        ladder: [LadderStep] = LadderStep.defaults, x264Preset: String = "veryfast", audioBitrate: Int = 128_000,
        segmentDuration: Double = 6, keyframeInterval: Double = 2
    ) {
        self.ladder = ladder
        self.x264Preset = x264Preset
        self.audioBitrate = audioBitrate
        self.segmentDuration = segmentDuration
        self.keyframeInterval = keyframeInterval
    }
}
