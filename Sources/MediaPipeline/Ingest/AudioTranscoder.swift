// Decodes the source's audio, optionally normalises its loudness, and has it encoded once to
// AAC-LC (on a thread of its own) for the HLS audio rendition and the M4A enclosure.
import CFFmpeg
import Foundation

/// The audio half of an ingest.
final class AudioTranscoder {
    let streamIndex: Int
    let channels: Int
    private let decoder: Decoder
    private let resampler: AudioResampler
    private let output: AudioEncoderThread
    private let frameSize: Int
    private let timeBase: AVRational
    private let startTime: Double
    private let decoded: Frame
    private var nextSample: Int64?
    /// The loudness chain (`Loudness.normalisingFilter`), built on the first decoded frame.
    private let normalisation: String?
    private var normaliser: FilterGraph?
    private let normalised: Frame

    /// - Parameters:
    ///   - enclosure: where to write the M4A enclosure, if one is wanted.
    ///   - normalisation: a libavfilter audio chain applied to the decoded audio, if any.
    init(
        input: InputFile, audio: SourceInfo.Audio, stereo: Bool, settings: TranscodeSettings,
        cipher: SegmentCipher, schedule: CutSchedule, directory: URL, enclosure enclosurePath: URL?, normalisation: String? = nil,
        progressive: ProgressivePlaylists? = nil
    ) throws {
        self.normalisation = normalisation
        normalised = try Frame()
        guard let stream = input.stream(audio.index) else { throw MediaError("the audio stream cannot be read") }
        streamIndex = audio.index
        decoder = try Decoder(stream: stream)
        timeBase = stream.pointee.time_base
        startTime = input.startTime
        // AAC-LC at the source's rate when it is a usual one; other rates become 48 kHz.
        let rate = [44_100, 48_000].contains(audio.sampleRate) ? audio.sampleRate : 48_000
        let channels = Self.outputChannels(of: audio, stereo: stereo)
        self.channels = channels
        resampler = try AudioResampler(sampleRate: rate, channels: channels)
        let encoder = try Encoder.aac(sampleRate: rate, channels: channels, bitrate: settings.audioBitrate * channels / 2)
        frameSize = encoder.frameSize
        let writer = try SegmentWriter(
            directory: directory.appendingPathComponent("audio"), encoder: encoder, isVideo: false, cipher: cipher,
            schedule: schedule, frameDuration: Int64(encoder.frameSize) * 90_000 / Int64(rate),
            onSegment: progressive?.sink(for: "audio"))
        let enclosure = try enclosurePath.map { try EnclosureWriter(path: $0, encoder: encoder) }
        output = try AudioEncoderThread(encoder: encoder, sampleRate: rate, writer: writer, enclosure: enclosure)
        decoded = try Frame()
        output.start()
    }

    deinit {
        // An ingest that failed on this thread still has to stop the encoder's (which keeps
        // itself alive until told to end).
        output.abort()
    }

    /// The HLS segments written, once `finish()` has returned.
    var writer: SegmentWriter { output.writer }

    /// Mono stays mono unless `stereo` is asked for (video assets); everything else becomes stereo.
    static func outputChannels(of audio: SourceInfo.Audio, stereo: Bool) -> Int {
        stereo || audio.channels != 1 ? 2 : 1
    }

    /// Seconds of audio encoded so far.
    var decodedDuration: Double { Double(nextSample ?? 0) / Double(resampler.sampleRate) }

    /// Decodes a packet of the audio stream and encodes what comes out.
    func decode(_ source: Packet) throws {
        try decoder.send(source)
        try drainDecoder()
    }

    /// Flushes everything and writes the last segment and the enclosure.
    func finish() throws {
        try decoder.send(nil)
        try drainDecoder()
        if let normaliser {
            try normaliser.push(nil)
            try drainNormaliser(normaliser)
        }
        try resampler.push(nil)
        try encodeBuffered(final: true)
        try output.finish()
    }

    private func drainDecoder() throws {
        while try decoder.receive(into: decoded) {
            if nextSample == nil {
                // Audio that starts after the video keeps its offset, so lips stay in sync.
                let timestamp = decoded.bestEffortTimestamp
                let seconds = timestamp == FFmpegStatus.noTimestamp
                    ? 0 : Double(timestamp) * Double(timeBase.num) / Double(timeBase.den) - startTime
                nextSample = Int64(max(0, seconds) * Double(resampler.sampleRate))
            }
            if let normalisation {
                let normaliser = try normaliser ?? FilterGraph(audioDescription: normalisation, first: decoded)
                self.normaliser = normaliser
                try normaliser.push(decoded)
                try drainNormaliser(normaliser)
            } else {
                try resampler.push(decoded)
                try encodeBuffered(final: false)
            }
        }
    }

    private func drainNormaliser(_ normaliser: FilterGraph) throws {
        while try normaliser.pull(into: normalised) {
            try resampler.push(normalised)
            try encodeBuffered(final: false)
        }
    }

    private func encodeBuffered(final: Bool) throws {
        while resampler.bufferedSamples >= frameSize || (final && resampler.bufferedSamples > 0) {
            let start = nextSample ?? 0
            let frame = try resampler.pull(count: frameSize, pts: start)
            nextSample = start + Int64(frame.sampleCount)
            try output.submit(frame, time: Double(start) / Double(resampler.sampleRate))
        }
    }
}
