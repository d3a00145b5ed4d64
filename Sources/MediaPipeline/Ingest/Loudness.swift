// Loudness of a source's audio (EBU R128) and the chain that brings it to podcast level.
import CFFmpeg
import Foundation

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

    /// Measures the audio stream `streamIndex` of `path` in a decoding pass of its own, through
    /// libavfilter's `ebur128` filter, as it will sound in `layout` (`mono` or `stereo`: a 5.1
    /// source is measured after the same downmix the encoder gets).
    static func measure(path: String, streamIndex: Int, layout: String) throws -> Loudness {
        let input = try InputFile(path: path)
        guard let stream = input.stream(streamIndex) else { throw MediaError("the audio stream cannot be read") }
        for index in 0..<input.streamCount where index != streamIndex { input.stream(index)?.pointee.discard = AVDISCARD_ALL }
        let decoder = try Decoder(stream: stream)
        let packet = try Packet(), decoded = try Frame(), measured = try Frame()
        var meter: FilterGraph?
        var loudness = Loudness(integrated: -.infinity, truePeak: -.infinity)
        func drain() throws {
            guard let meter else { return }
            while try meter.pull(into: measured) {
                if let value = Self.metadata(measured, "lavfi.r128.I") { loudness.integrated = value }
                let channels = Int(measured.pointer.pointee.ch_layout.nb_channels)
                for channel in 0..<channels {
                    if let peak = Self.metadata(measured, "lavfi.r128.true_peaks_ch\(channel)"), peak > 0 {
                        loudness.truePeak = max(loudness.truePeak, 20 * log10(peak))
                    }
                }
            }
        }
        func filter(_ frame: Frame?) throws {
            if meter == nil, let frame {
                meter = try FilterGraph(audioDescription: "aformat=channel_layouts=\(layout),ebur128=peak=true:metadata=1", first: frame)
            }
            try meter?.push(frame)
            try drain()
        }
        while try input.read(into: packet) {
            guard packet.streamIndex == streamIndex else { continue }
            try decoder.send(packet)
            while try decoder.receive(into: decoded) { try filter(decoded) }
        }
        try decoder.send(nil)
        while try decoder.receive(into: decoded) { try filter(decoded) }
        try filter(nil)
        // Below the absolute gate (-70 LUFS) nothing counts: call it silence.
        if loudness.integrated <= -70 { loudness.integrated = -.infinity }
        return loudness
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

    private static func metadata(_ frame: Frame, _ key: String) -> Double? {
        guard let entry = av_dict_get(frame.pointer.pointee.metadata, key, nil, 0), let value = entry.pointee.value else { return nil }
        return Double(String(cString: value))
    }
}
