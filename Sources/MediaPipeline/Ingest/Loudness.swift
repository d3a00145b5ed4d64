// Loudness of a source's audio (EBU R128) and the chain that brings it to podcast level.
import CFFmpeg
import Dispatch
import Foundation
import Synchronization

/// Integrated loudness and true peak of a programme, as EBU R128 / ITU-R BS.1770 measure them.
public struct Loudness: Sendable, Equatable {
    /// LUFS; `-infinity` for silence.
    public var integrated: Double
    /// dBTP, the highest inter-sample peak of any channel.
    public var truePeak: Double

    /// Where podcasts are normalised to (Apple's and most platforms' recommendation).
    public static let podcastTarget = -16.0
    /// The true peak a normalised programme stays under.
    public static let peakCeiling = -1.0

    /// Measures the audio stream `streamIndex` of `path` through libavfilter's `ebur128` filter,
    /// as it will sound in `layout` (`mono` or `stereo`: a 5.1 source is measured after the same
    /// downmix the encoder gets).
    ///
    /// The true peak (4× oversampled) costs twice the loudness itself, and unlike the gated
    /// integrated loudness it splits: the maximum of two stretches' peaks is the whole's. So a
    /// programme of `duration` seconds (two minutes or more) is measured on two cores at once:
    /// one decoding pass takes the integrated loudness of everything plus the true peak of the
    /// first third, another seeks there and takes the true peak of the rest. If that seek lands
    /// past where the first pass stopped (a duration that was only a guess), the peak is taken
    /// again from the start up to where the second began, so no sample is ever left out.
    static func measure(path: String, streamIndex: Int, layout: String, duration: Double) throws -> Loudness {
        guard duration >= 120 else {
            let whole = try Stretch.measure(path: path, streamIndex: streamIndex, layout: layout)
            return Loudness(integrated: whole.integrated, truePeak: whole.truePeak)
        }
        // Balances the passes: the head's loudness of everything costs about a third of a whole
        // true-peak measurement.
        let split = duration * 0.32
        let parts = Mutex<[Int: Result<Stretch, MediaError>]>([:])
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            let result: Result<Stretch, MediaError>
            do {
                result = .success(
                    part == 0
                        ? try Stretch.measure(path: path, streamIndex: streamIndex, layout: layout, peaksUntil: split + 1)
                        : try Stretch.measure(path: path, streamIndex: streamIndex, layout: layout, from: split, loudness: false))
            } catch let error as MediaError {
                result = .failure(error)
            } catch {
                result = .failure(MediaError("cannot measure the loudness: \(error)"))
            }
            parts.withLock { $0[part] = result }
        }
        guard let head = try parts.withLock({ $0[0] })?.get(), let tail = try parts.withLock({ $0[1] })?.get() else {
            throw MediaError("cannot measure the loudness")
        }
        var truePeak = max(head.truePeak, tail.truePeak)
        if tail.start.map({ $0 > head.peaksEnd }) ?? true {
            // Read from the start rather than trust another seek.
            let gap = try Stretch.measure(
                path: path, streamIndex: streamIndex, layout: layout, peaksUntil: tail.start.map { $0 + 1 }, loudness: false)
            truePeak = max(truePeak, gap.truePeak)
        }
        return Loudness(integrated: head.integrated, truePeak: truePeak)
    }

    /// The libavfilter chain that brings this programme, mixed to `layout` as it was measured,
    /// to `target` LUFS with its true peak under `ceiling`: a linear gain, plus a limiter only
    /// when the gain would push peaks over. Nil for silence (nothing to scale) or when no
    /// change is needed.
    func normalisingFilter(
        layout: String, target: Double = Loudness.podcastTarget, ceiling: Double = Loudness.peakCeiling
    ) -> String? {
        guard integrated.isFinite else { return nil }
        let gain = target - integrated
        guard abs(gain) >= 0.05 else { return nil }
        var chain = "aformat=channel_layouts=\(layout)," + String(format: "volume=%.2fdB", gain)
        // A sample-peak limiter a little under the ceiling keeps inter-sample peaks under it too.
        if truePeak + gain > ceiling - 0.5 {
            chain += String(format: ",alimiter=limit=%.4f:level=false:attack=5:release=50", pow(10, (ceiling - 1) / 20))
        }
        return chain
    }
}

/// One decoding pass over a stretch of a programme, measured by `ebur128`.
private struct Stretch: Sendable {
    /// LUFS of the whole pass (when asked for), `-infinity` for silence.
    var integrated = -Double.infinity
    /// dBTP of the frames up to `peaksEnd`.
    var truePeak = -Double.infinity
    /// Where the pass really started, in seconds (nil when it read nothing).
    var start: Double?
    /// Where the frames whose peaks were measured end, in seconds.
    var peaksEnd = 0.0

    /// Decodes from `start` (seeking there, or from the beginning) to the end; the true peak is
    /// taken of the frames that begin before `peaksUntil`, the loudness of every frame read.
    /// Without `loudness`, reading stops at `peaksUntil`.
    static func measure(
        path: String, streamIndex: Int, layout: String, from start: Double? = nil, peaksUntil: Double? = nil, loudness: Bool = true
    ) throws -> Stretch {
        let input = try InputFile(path: path)
        guard let stream = input.stream(streamIndex) else { throw MediaError("the audio stream cannot be read") }
        for index in 0..<input.streamCount where index != streamIndex { input.stream(index)?.pointee.discard = AVDISCARD_ALL }
        let timeBase = stream.pointee.time_base
        var stretch = Stretch()
        if let start, start > 0 {
            let target = Int64((start + input.startTime) * Double(timeBase.den) / Double(timeBase.num))
            // A file that cannot seek leaves this stretch empty; the caller measures it in order.
            guard av_seek_frame(input.context, Int32(streamIndex), target, AVSEEK_FLAG_BACKWARD) >= 0 else { return stretch }
        }
        let decoder = try Decoder(stream: stream)
        let packet = try Packet(), decoded = try Frame()
        let peaks = try Meter(layout: layout, truePeak: true)
        // Past the peaks' stretch the loudness needs a meter of its own, without the oversampling.
        let whole = loudness && peaksUntil != nil ? try Meter(layout: layout, truePeak: false) : nil
        var position: Double?
        var peaksOpen = true
        func take(_ frame: Frame) throws {
            let rate = Double(max(1, frame.pointer.pointee.sample_rate))
            let timestamp = frame.bestEffortTimestamp
            let begins = timestamp == FFmpegStatus.noTimestamp
                ? position ?? start ?? 0 : Double(timestamp) * Double(timeBase.num) / Double(timeBase.den) - input.startTime
            if stretch.start == nil { stretch.start = begins }
            position = begins + Double(frame.sampleCount) / rate
            try whole?.add(frame)
            if peaksOpen, peaksUntil.map({ begins < $0 }) ?? true {
                try peaks.add(frame)
                stretch.peaksEnd = position ?? begins
            } else if peaksOpen {
                peaksOpen = false
                try peaks.add(nil)
            }
        }
        reading: while try input.read(into: packet) {
            guard packet.streamIndex == streamIndex else { continue }
            try decoder.send(packet)
            while try decoder.receive(into: decoded) { try take(decoded) }
            if !peaksOpen, whole == nil { break reading }
        }
        try decoder.send(nil)
        while try decoder.receive(into: decoded) { try take(decoded) }
        if peaksOpen { try peaks.add(nil) }
        try whole?.add(nil)
        stretch.truePeak = peaks.truePeak
        if loudness { stretch.integrated = (whole ?? peaks).integrated }
        return stretch
    }
}

/// An `ebur128` filter fed decoded frames, keeping the latest integrated loudness and the
/// highest true peak it reports.
private final class Meter {
    private let description: String
    private var graph: FilterGraph?
    private let measured: Frame
    private(set) var integrated = -Double.infinity
    private(set) var truePeak = -Double.infinity

    init(layout: String, truePeak: Bool) throws {
        description = "aformat=channel_layouts=\(layout),ebur128=peak=\(truePeak ? "true" : "none"):metadata=1"
        measured = try Frame()
    }

    /// Takes a frame, or `nil` at the end.
    func add(_ frame: Frame?) throws {
        if graph == nil, let frame { graph = try FilterGraph(audioDescription: description, first: frame) }
        guard let graph else { return }
        try graph.push(frame)
        while try graph.pull(into: measured) {
            if let value = metadata("lavfi.r128.I") { integrated = value }
            for channel in 0..<Int(measured.pointer.pointee.ch_layout.nb_channels) {
                if let peak = metadata("lavfi.r128.true_peaks_ch\(channel)"), peak > 0 { truePeak = max(truePeak, 20 * log10(peak)) }
            }
        }
        // Below the absolute gate (-70 LUFS) nothing counts: call it silence.
        if frame == nil, integrated <= -70 { integrated = -.infinity }
    }

    private func metadata(_ key: String) -> Double? {
        guard let entry = av_dict_get(measured.pointer.pointee.metadata, key, nil, 0), let value = entry.pointee.value else { return nil }
        return Double(String(cString: value))
    }
}
