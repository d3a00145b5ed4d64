// Owns a libswresample context and a sample FIFO that cut audio into encoder-sized frames.
import CFFmpeg

/// Converts decoded audio to planar float at the output rate and layout, and hands it out in
/// frames of exactly the encoder's frame size (the last one may be shorter).
final class AudioResampler {
    private var context: OpaquePointer?
    private let fifo: OpaquePointer
    private let converted: Frame
    let sampleRate: Int
    let channels: Int
    private var layout: AVChannelLayout

    init(sampleRate: Int, channels: Int) throws {
        self.sampleRate = sampleRate
        self.channels = channels
        layout = channels == 1 ? veritas_mono_layout() : veritas_stereo_layout()
        guard let fifo = av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, Int32(channels), 4096) else {
            throw MediaError("out of memory allocating an audio buffer")
        }
        self.fifo = fifo
        converted = try Frame()
    }

    deinit {
        swr_free(&context)
        av_audio_fifo_free(fifo)
    }

    /// Samples waiting in the FIFO.
    var bufferedSamples: Int { Int(av_audio_fifo_size(fifo)) }

    /// Converts `frame` (or flushes the resampler when `nil`) into the FIFO.
    func push(_ frame: Frame?) throws {
        if let frame {
            if frame.pointer.pointee.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC {
                let count = frame.pointer.pointee.ch_layout.nb_channels
                av_channel_layout_uninit(&frame.pointer.pointee.ch_layout)
                av_channel_layout_default(&frame.pointer.pointee.ch_layout, count)
            }
            if context == nil { try open(for: frame) }
        }
        guard context != nil else { return }
        converted.unref()
        converted.pointer.pointee.format = AV_SAMPLE_FMT_FLTP.rawValue
        converted.pointer.pointee.sample_rate = Int32(sampleRate)
        try check(av_channel_layout_copy(&converted.pointer.pointee.ch_layout, &layout), "cannot set a channel layout")
        try check(swr_convert_frame(context, converted.pointer, frame?.pointer), "cannot resample the audio")
        let count = converted.pointer.pointee.nb_samples
        guard count > 0 else { return }
        let written = converted.pointer.pointee.extended_data.withMemoryRebound(
            to: UnsafeMutableRawPointer?.self, capacity: channels
        ) { av_audio_fifo_write(fifo, $0, count) }
        try check(written, "cannot buffer the audio")
    }

    /// Takes `count` samples (or fewer at the end) from the FIFO as a new frame stamped `pts`.
    func pull(count: Int, pts: Int64) throws -> Frame {
        let frame = try Frame()
        let take = Int32(min(count, bufferedSamples))
        frame.pointer.pointee.nb_samples = take
        frame.pointer.pointee.format = AV_SAMPLE_FMT_FLTP.rawValue
        frame.pointer.pointee.sample_rate = Int32(sampleRate)
        try check(av_channel_layout_copy(&frame.pointer.pointee.ch_layout, &layout), "cannot set a channel layout")
        try check(av_frame_get_buffer(frame.pointer, 0), "cannot allocate audio samples")
        let read = frame.pointer.pointee.extended_data.withMemoryRebound(to: UnsafeMutableRawPointer?.self, capacity: channels) {
            av_audio_fifo_read(fifo, $0, take)
        }
        try check(read, "cannot read buffered audio")
        frame.pointer.pointee.pts = pts
        return frame
    }

    private func open(for frame: Frame) throws {
        let input = frame.pointer.pointee
        var inputLayout = input.ch_layout
        let code = swr_alloc_set_opts2(
            &context, &layout, AV_SAMPLE_FMT_FLTP, Int32(sampleRate),
            &inputLayout, AVSampleFormat(rawValue: input.format), input.sample_rate, 0, nil)
        try check(code, "cannot set up audio resampling")
        try check(swr_init(context), "cannot set up audio resampling")
    }
}
