// Turns one source file into an encrypted HLS ladder, poster and (for audio) an enclosure.
import CFFmpeg
import Foundation

/// How far a running ingest has come.
public struct IngestProgress: Sendable, Equatable {
    /// Seconds of the source processed.
    public var processedSeconds: Double
    /// The source's duration, when known.
    public var totalSeconds: Double?
    /// Wall-clock seconds since the ingest started.
    public var elapsedSeconds: Double

    public init(processedSeconds: Double, totalSeconds: Double?, elapsedSeconds: Double) {
        self.processedSeconds = processedSeconds
        self.totalSeconds = totalSeconds
        self.elapsedSeconds = elapsedSeconds
    }

    /// Share done, 0–1, when the duration is known.
    public var fraction: Double? {
        guard let totalSeconds, totalSeconds > 0 else { return nil }
        return min(1, max(0, processedSeconds / totalSeconds))
    }

    /// Speed in × realtime.
    public var speed: Double { elapsedSeconds > 0 ? processedSeconds / elapsedSeconds : 0 }

    /// Estimated seconds left, when the duration is known and work has started.
    public var remainingSeconds: Double? {
        guard let totalSeconds, speed > 0 else { return nil }
        return max(0, totalSeconds - processedSeconds) / speed
    }
}

/// One ingest: probe, one decode per stream, every rung encoded and segmented, playlists written.
///
/// Everything is written below `outputDirectory`, which the caller treats as staging: nothing in
/// it is complete until `run` returns.
public final class IngestPipeline {
    /// Thrown when `isCancelled` said so between two packets.
    public static let interrupted = MediaError("the ingest was interrupted")

    private let sourcePath: String
    private let outputDirectory: URL
    private let key: [UInt8]
    private let settings: TranscodeSettings
    private let normalisesVideoAudio: Bool

    /// - Parameter normalisesVideoAudio: brings a video's audio to podcast loudness too, as an
    ///   audio-only source's always is (for shows also offered as podcasts, whose enclosure is
    ///   this audio).
    public init(sourcePath: String, outputDirectory: URL, key: [UInt8], settings: TranscodeSettings, normalisesVideoAudio: Bool = false) {
        self.sourcePath = sourcePath
        self.outputDirectory = outputDirectory
        self.key = key
        self.settings = settings
        self.normalisesVideoAudio = normalisesVideoAudio
    }

    /// Runs the ingest on the calling thread (it takes as long as the transcode; call it from a
    /// thread of its own in a server). `progress` is called a few times a second.
    ///
    /// With `onPlayable`, the ingest publishes progressively: each rendition's playlist is kept
    /// on disk as an EVENT playlist as segments are written, the master playlist appears once
    /// every rendition has one, and `onPlayable` is called then (from an encoder's thread).
    /// `outputDirectory` is then served while the ingest runs.
    public func run(
        progress: (IngestProgress) -> Void = { _ in }, isCancelled: () -> Bool = { false },
        onPlayable: (@Sendable () -> Void)? = nil
    ) throws -> (source: SourceInfo, asset: PackagedAsset) {
        let clock = ContinuousClock()
        let started = clock.now
        let input = try InputFile(path: sourcePath)
        let info = try MediaProbe.probe(input)
        guard info.video != nil || info.audio != nil else {
            throw MediaError("the file has no video or audio stream")
        }
        if let duration = info.duration, duration < 1 {
            throw MediaError("the media is shorter than one second (a still image is not a video)")
        }
        let cipher = try SegmentCipher(key: key)
        let schedule = CutSchedule(
            keyframeInterval: settings.keyframeInterval, segmentDuration: settings.segmentDuration,
            sourceDuration: info.duration, shortFirstSegment: onPlayable != nil)
        try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)

        let rungs = info.video.map { LadderPlanner(steps: settings.ladder).plan(width: $0.displayWidth, height: $0.displayHeight) } ?? []
        let progressive = onPlayable.map { onPlayable in
            ProgressivePlaylists(
                directory: outputDirectory,
                video: rungs.map { .init(name: $0.name, width: $0.width, height: $0.height, frameRate: info.video?.frameRate) },
                audio: info.audio.map { _ in .init(name: "audio") },
                audioChannels: info.audio.map { AudioTranscoder.outputChannels(of: $0, stereo: info.video != nil) } ?? 2,
                onPlayable: onPlayable)
        }
        let video = try info.video.map { video in
            try VideoTranscoder(
                input: input, video: video, rungs: rungs, settings: settings, cipher: cipher, schedule: schedule,
                directory: outputDirectory, sourceDuration: info.duration, progressive: progressive)
        }
        let audio = try info.audio.map { audio in
            // Audio-only sources are podcasts: measured first (as the channels they become), then
            // brought to podcast loudness.
            let layout = AudioTranscoder.outputChannels(of: audio, stereo: video != nil) == 1 ? "mono" : "stereo"
            let normalisation =
                video == nil || normalisesVideoAudio
                ? try Loudness.measure(path: sourcePath, streamIndex: audio.index, layout: layout, duration: info.duration ?? 0).normalisingFilter(layout: layout) : nil
            return try AudioTranscoder(
                input: input, audio: audio, stereo: video != nil, settings: settings, cipher: cipher, schedule: schedule,
                directory: outputDirectory,
                enclosure: outputDirectory.appendingPathComponent("enclosure.m4a"), normalisation: normalisation,
                progressive: progressive)
        }
        for index in 0..<input.streamCount where index != video?.streamIndex && index != audio?.streamIndex {
            input.stream(index)?.pointee.discard = AVDISCARD_ALL
        }

        let packet = try Packet()
        var processed = 0.0
        var lastReport = started
        while try input.read(into: packet) {
            if isCancelled() { throw Self.interrupted }
            switch packet.streamIndex {
            case video?.streamIndex: try video?.decode(packet)
            case audio?.streamIndex: try audio?.decode(packet)
            default: continue
            }
            if let stream = input.stream(packet.streamIndex), packet.pts != FFmpegStatus.noTimestamp {
                let base = stream.pointee.time_base
                processed = max(processed, Double(packet.pts) * Double(base.num) / Double(base.den) - input.startTime)
            }
            if clock.now - lastReport > .milliseconds(200) {
                lastReport = clock.now
                progress(IngestProgress(processedSeconds: processed, totalSeconds: info.duration, elapsedSeconds: seconds(since: started, clock)))
            }
        }
        try video?.finish()
        try audio?.finish()
        if isCancelled() { throw Self.interrupted }

        let duration = max(video?.decodedDuration ?? 0, audio?.decodedDuration ?? 0)
        guard duration >= 1 else {
            throw MediaError("the media is shorter than one second (a still image is not a video)")
        }
        if let declared = info.duration, !input.durationIsEstimated, duration < declared * 0.9 {
            throw MediaError(String(
                format: "the file is truncated or damaged: only %.1f s of its %.1f s could be decoded", duration, declared))
        }
        // A video's poster is a frame of it; an audio file's is its cover art, if it has one.
        let cover = video == nil
            ? info.streams.first { $0.isAttachedPicture }.flatMap { CoverArt.jpeg(of: input, streamIndex: $0.index) } : nil
        let asset = try writePlaylists(video: video, audio: audio, duration: duration, cover: cover)
        progress(IngestProgress(processedSeconds: duration, totalSeconds: duration, elapsedSeconds: seconds(since: started, clock)))
        return (info, asset)
    }

    private func seconds(since start: ContinuousClock.Instant, _ clock: ContinuousClock) -> Double {
        let elapsed = clock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    private func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: outputDirectory.appendingPathComponent(path), options: .atomic)
    }

    private func writePlaylists(video: VideoTranscoder?, audio: AudioTranscoder?, duration: Double, cover: [UInt8]?) throws -> PackagedAsset {
        var audioRendition: RenditionPlaylists?
        if let audio {
            guard !audio.writer.segments.isEmpty else { throw MediaError("the audio could not be decoded") }
            audioRendition = RenditionPlaylists(
                name: "audio", codecs: audio.writer.codecs ?? "mp4a.40.2", playlist: MediaPlaylist(segments: audio.writer.segments))
        }
        let rungs = try (video?.outputs ?? []).map { output in
            guard !output.writer.segments.isEmpty, let codecs = output.writer.codecs else { throw MediaError("the video could not be decoded") }
            return RenditionPlaylists(
                name: output.rung.name, width: output.rung.width, height: output.rung.height, frameRate: video?.frameRate,
                codecs: codecs, playlist: MediaPlaylist(segments: output.writer.segments),
                iFrames: MediaPlaylist(segments: output.writer.iFrames, iFramesOnly: true))
        }
        var renditions: [PackagedAsset.Rendition] = []
        for rendition in [audioRendition].compactMap({ $0 }) + rungs {
            try write(rendition.playlist.render(), to: rendition.playlistPath)
            if let iFrames = rendition.iFrames { try write(iFrames.render(), to: rendition.iFramesPath) }
            renditions.append(.init(
                kind: rendition.isVideo ? "video" : "audio", name: rendition.name, width: rendition.width, height: rendition.height,
                frameRate: rendition.frameRate, bandwidth: rendition.playlist.peakBitrate,
                averageBandwidth: rendition.playlist.averageBitrate, codecs: rendition.codecs, playlist: rendition.playlistPath,
                iFramePlaylist: rendition.iFrames == nil ? nil : rendition.iFramesPath, segmentCount: rendition.playlist.segments.count))
        }
        let master = LadderPlaylists.master(video: rungs, audio: audioRendition, audioChannels: audio?.channels ?? 2)
        try write(master.render(), to: "master.m3u8")

        var poster: String?
        if let jpeg = video?.posterJPEG ?? cover {
            try Data(jpeg).write(to: outputDirectory.appendingPathComponent("poster.jpg"), options: .atomic)
            poster = "poster.jpg"
        }
        return PackagedAsset(
            duration: duration, master: "master.m3u8", renditions: renditions, poster: poster,
            enclosure: audio != nil ? "enclosure.m4a" : nil)
    }
}
