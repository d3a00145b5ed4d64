// Decodes the source's video once and feeds every rung: upright filter, scaler, x264, segmenter.
import CFFmpeg
import Foundation

/// The video half of an ingest: one decoder on the calling thread, feeding a chain of rung
/// encoders that each run on a thread of their own.
final class VideoTranscoder {
    let streamIndex: Int
    /// The rungs, largest first; the first also makes the poster.
    let outputs: [RungEncoder]
    let frameRate: Double
    private let decoder: Decoder
    private let rotation: Int
    private var filter: FilterGraph?
    private let timeBase: AVRational
    private let startTime: Double
    private let schedule: CutSchedule
    private let decoded: Frame
    private let filtered: Frame
    private var lastSlot = -1
    private var lastPTS: Int64 = -1
    /// The end of the last picture, in seconds from the start.
    private(set) var decodedDuration: Double = 0

    init(
        input: InputFile, video: SourceInfo.Video, rungs: [Rung], settings: TranscodeSettings,
        cipher: SegmentCipher, schedule: CutSchedule, directory: URL, sourceDuration: Double?,
        progressive: ProgressivePlaylists? = nil
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
        // Every rung has a thread of its own; x264's own threads are shared out by each rung's
        // share of the pixels, which keeps the cores busy without piling up frames in flight.
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let totalPixels = rungs.reduce(0) { $0 + $1.width * $1.height }
        // Built smallest first, since each rung hands its pictures to the next smaller one.
        var chain: [RungEncoder] = []
        for rung in rungs.reversed() {
            let share = Double(rung.width * rung.height) / Double(max(1, totalPixels))
            let threads = max(1, Int((share * Double(cores) * 1.5).rounded()))
            let encoder = try Encoder.h264(
                width: rung.width, height: rung.height, bitrate: rung.bitrate, frameRate: rate,
                timeBase: encoderTimeBase, keyframeInterval: settings.keyframeInterval, preset: settings.x264Preset,
                threads: threads)
            let writer = try SegmentWriter(
                directory: directory.appendingPathComponent(rung.name), encoder: encoder, isVideo: true,
                cipher: cipher, schedule: schedule, frameDuration: frameDuration,
                onSegment: progressive?.sink(for: rung.name))
            let poster = rung == top
                ? try PosterCapture(width: top.width, height: top.height, targetTime: min(10, (sourceDuration ?? 0) * 0.1))
                : nil
            chain.insert(try RungEncoder(rung: rung, encoder: encoder, writer: writer, poster: poster, next: chain.first), at: 0)
        }
        decoded = try Frame()
        filtered = try Frame()
        outputs = chain
        // Started last: once the threads run, deinit must be able to stop them.
        for output in outputs { output.start() }
    }

    /// The poster JPEG, once `finish()` has returned.
    var posterJPEG: [UInt8]? { outputs.first?.posterJPEG }

    deinit {
        // An ingest that failed on this thread still has to stop its rung threads.
        abort()
    }

    private var closed = false

    /// Decodes a packet of the video stream and hands the pictures to the rungs.
    func decode(_ source: Packet) throws {
        try decoder.send(source)
        try drainDecoder()
        if outputs.contains(where: \.hasFailed) { try finishRungs() }
    }

    /// Stops the rung threads without caring for their output.
    func abort() {
        guard !closed else { return }
        closed = true
        for output in outputs { output.cancel() }
        outputs.first?.close()
        for output in outputs { try? output.wait() }
    }

    private func finishRungs() throws {
        guard !closed else { return }
        closed = true
        outputs.first?.close()
        for output in outputs { try output.wait() }
    }

    /// Flushes the decoder, filter and encoders and writes the last segments.
    func finish() throws {
        try decoder.send(nil)
        try drainDecoder()
        if let filter {
            try filter.push(nil)
            while try filter.pull(into: filtered) { try encode(filtered) }
        }
        try finishRungs()
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
        try outputs.first?.submit(frame, time: seconds)
        decodedDuration = max(decodedDuration, seconds + 1 / frameRate)
    }

}
