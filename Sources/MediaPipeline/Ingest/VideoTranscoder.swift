// Decodes the source's video once and feeds every rung: upright filter, scaler, x264, segmenter.
import CFFmpeg
import Foundation

/// The video half of an ingest: one decoder, a scaler and encoder per rung, and the poster.
final class VideoTranscoder {
    /// One rung's chain.
    struct Output {
        let rung: Rung
        let scaler: Scaler
        let encoder: Encoder
        let writer: SegmentWriter
    }

    let streamIndex: Int
    let outputs: [Output]
    let frameRate: Double
    private let decoder: Decoder
    private let rotation: Int
    private var filter: FilterGraph?
    private let timeBase: AVRational
    private let startTime: Double
    private let schedule: CutSchedule
    private let poster: PosterCapture
    private let decoded: Frame
    private let filtered: Frame
    private let packet: Packet
    private var lastSlot = -1
    private var lastPTS: Int64 = -1
    /// The end of the last picture, in seconds from the start.
    private(set) var decodedDuration: Double = 0

    init(
        input: InputFile, video: SourceInfo.Video, rungs: [Rung], settings: TranscodeSettings,
        cipher: SegmentCipher, schedule: CutSchedule, directory: URL, sourceDuration: Double?
    ) throws {
        guard let stream = input.stream(video.index), let top = rungs.first else {
            throw MediaError("the video stream cannot be read")
        }
        streamIndex = video.index
        decoder = try Decoder(stream: stream)
        timeBase = stream.pointee.time_base
        startTime = input.startTime
        rotation = video.rotation
        frameRate = video.frameRate
        self.schedule = schedule
        let rate = av_d2q(video.frameRate, 100_000)
        let encoderTimeBase = AVRational(num: 1, den: 90_000)
        let frameDuration = Int64((90_000 / video.frameRate).rounded())
        outputs = try rungs.map { rung in
            let encoder = try Encoder.h264(
                width: rung.width, height: rung.height, bitrate: rung.bitrate, frameRate: rate,
                timeBase: encoderTimeBase, keyframeInterval: settings.keyframeInterval, preset: settings.x264Preset)
            let writer = try SegmentWriter(
                directory: directory.appendingPathComponent(rung.name), encoder: encoder, isVideo: true,
                cipher: cipher, schedule: schedule, frameDuration: frameDuration)
            return Output(rung: rung, scaler: try Scaler(width: rung.width, height: rung.height), encoder: encoder, writer: writer)
        }
        let posterTime = min(10, (sourceDuration ?? 0) * 0.1)
        poster = try PosterCapture(width: top.width, height: top.height, targetTime: posterTime)
        decoded = try Frame()
        filtered = try Frame()
        packet = try Packet()
    }

    /// The poster JPEG, once a picture has been seen.
    var posterJPEG: [UInt8]? { poster.jpeg }

    /// Decodes a packet of the video stream and encodes what comes out.
    func decode(_ source: Packet) throws {
        try decoder.send(source)
        try drainDecoder()
    }

    /// Flushes the decoder, filter and encoders and writes the last segments.
    func finish() throws {
        try decoder.send(nil)
        try drainDecoder()
        if let filter {
            try filter.push(nil)
            while try filter.pull(into: filtered) { try encode(filtered) }
        }
        for output in outputs {
            try output.encoder.send(nil)
            try drain(output)
            try output.writer.finish()
        }
    }

    private func drainDecoder() throws {
        while try decoder.receive(into: decoded) {
            guard let description = FilterGraph.uprightFilter(rotation: rotation) else {
                try encode(decoded)
                continue
            }
            if filter == nil { filter = try FilterGraph(description: description, first: decoded, timeBase: timeBase) }
            try filter?.push(decoded)
            while try filter?.pull(into: filtered) == true { try encode(filtered) }
        }
    }

    private func encode(_ frame: Frame) throws {
        let timestamp = frame.bestEffortTimestamp
        let seconds: Double
        if timestamp == FFmpegStatus.noTimestamp {
            seconds = Double(max(lastPTS, 0)) / 90_000 + 1 / frameRate
        } else {
            seconds = Double(timestamp) * Double(timeBase.num) / Double(timeBase.den) - startTime
        }
        let pts = Int64((seconds * 90_000).rounded())
        // Pictures before the start (edit-list pre-roll) or out of order are not shown by players.
        guard pts >= 0, pts > lastPTS else { return }
        lastPTS = pts
        let slot = schedule.keyframeSlot(at: seconds)
        var keyframe = false
        if slot != lastSlot {
            keyframe = lastSlot < 0 || schedule.allowsCut(at: seconds)
            lastSlot = slot
        }
        frame.pointer.pointee.pts = pts
        frame.pointer.pointee.pict_type = keyframe ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE
        var source = frame
        var top: Frame?
        for output in outputs {
            // Each rung is scaled from the next larger one: less work than from the source.
            let scaled = try output.scaler.scale(source)
            try output.encoder.send(scaled)
            try drain(output)
            top = top ?? scaled
            source = scaled
        }
        if let top { try poster.offer(top, at: seconds) }
        decodedDuration = max(decodedDuration, seconds + 1 / frameRate)
    }

    private func drain(_ output: Output) throws {
        while try output.encoder.receive(into: packet) { try output.writer.append(packet) }
    }
}
