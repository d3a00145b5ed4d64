// Owns an encoder (AVCodecContext): H.264 for video rungs, AAC for audio, MJPEG for posters.
import CFFmpeg

/// Encodes frames into packets with one libavcodec encoder.
final class Encoder {
    let context: UnsafeMutablePointer<AVCodecContext>

    private init(codecName: String, configure: (UnsafeMutablePointer<AVCodecContext>) throws -> Void) throws {
        guard let codec = avcodec_find_encoder_by_name(codecName) else {
            throw MediaError("this FFmpeg has no \(codecName) encoder")
        }
        guard let context = avcodec_alloc_context3(codec) else {
            throw MediaError("out of memory allocating the \(codecName) encoder")
        }
        self.context = context
        try configure(context)
        try check(avcodec_open2(context, codec, nil), "cannot open the \(codecName) encoder")
    }

    deinit {
        var context: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&context)
    }

    /// An H.264 encoder (libx264) for one rung: constrained VBR, closed GOPs, keyframes only where
    /// the caller forces them so that every rung cuts at the same instants.
    static func h264(
        width: Int, height: Int, bitrate: Int, frameRate: AVRational, timeBase: AVRational,
        keyframeInterval: Double, preset: String, threads: Int
    ) throws -> Encoder {
        try Encoder(codecName: "libx264") { context in
            context.pointee.width = Int32(width)
            context.pointee.height = Int32(height)
            context.pointee.pix_fmt = AV_PIX_FMT_YUV420P
            context.pointee.time_base = timeBase
            context.pointee.framerate = frameRate
            context.pointee.sample_aspect_ratio = AVRational(num: 1, den: 1)
            context.pointee.bit_rate = Int64(bitrate)
            context.pointee.rc_max_rate = Int64(bitrate) * 11 / 10
            context.pointee.rc_buffer_size = Int32(clamping: bitrate * 2)
            context.pointee.flags |= Int32(bitPattern: AV_CODEC_FLAG_CLOSED_GOP)
            context.pointee.thread_count = Int32(threads)
            let fps = frameRate.num > 0 && frameRate.den > 0 ? Double(frameRate.num) / Double(frameRate.den) : 30
            // Natural keyframes are pushed past the forced ones so x264 never adds its own.
            let gop = max(2, Int((fps * keyframeInterval * 2).rounded()))
            context.pointee.gop_size = Int32(gop)
            guard let options = context.pointee.priv_data else { throw MediaError("libx264 has no options") }
            try check(av_opt_set(options, "preset", preset, 0), "unknown x264 preset \(preset)")
            try check(av_opt_set(options, "forced-idr", "1", 0), "cannot set forced-idr")
            try check(av_opt_set(options, "x264-params", "scenecut=0:open-gop=0", 0), "cannot set x264 params")
        }
    }

    /// An AAC-LC encoder (FFmpeg's native one) with a global header, as MP4 and the MPEG-TS ADTS
    /// wrapper both need the AudioSpecificConfig. It uses the native encoder's `fast` coder: at
    /// the default 64 kbit/s per channel, its maintainers found it sounds as good as or
    /// better than `twoloop`, for under two thirds of the CPU (a 30-minute mono programme
    /// encodes in 9 s instead of 15 s here).
    static func aac(sampleRate: Int, channels: Int, bitrate: Int) throws -> Encoder {
        try Encoder(codecName: "aac") { context in
            context.pointee.sample_fmt = AV_SAMPLE_FMT_FLTP
            context.pointee.sample_rate = Int32(sampleRate)
            context.pointee.ch_layout = channels == 1 ? veritas_mono_layout() : veritas_stereo_layout()
            context.pointee.bit_rate = Int64(bitrate)
            context.pointee.time_base = AVRational(num: 1, den: Int32(sampleRate))
            context.pointee.profile = FF_PROFILE_AAC_LOW
            context.pointee.flags |= Int32(AV_CODEC_FLAG_GLOBAL_HEADER)
            guard let options = context.pointee.priv_data else { throw MediaError("the aac encoder has no options") }
            try check(av_opt_set(options, "aac_coder", "fast", 0), "cannot choose the aac coder")
        }
    }

    /// A JPEG encoder for posters.
    static func jpeg(width: Int, height: Int) throws -> Encoder {
        try Encoder(codecName: "mjpeg") { context in
            context.pointee.width = Int32(width)
            context.pointee.height = Int32(height)
            context.pointee.pix_fmt = AV_PIX_FMT_YUVJ420P
            context.pointee.time_base = AVRational(num: 1, den: 25)
            context.pointee.flags |= Int32(AV_CODEC_FLAG_QSCALE)
            context.pointee.global_quality = Int32(FF_QP2LAMBDA * 3)
        }
    }

    /// Samples per audio frame the encoder wants (0 for video encoders).
    var frameSize: Int { Int(context.pointee.frame_size) }

    /// Sends a frame, or `nil` to flush.
    func send(_ frame: Frame?) throws {
        let code = avcodec_send_frame(context, frame?.pointer)
        if code == FFmpegStatus.endOfFile { return }
        try check(code, "cannot encode")
    }

    /// Receives the next packet; false when the encoder needs more input or is drained.
    func receive(into packet: Packet) throws -> Bool {
        packet.unref()
        let code = avcodec_receive_packet(context, packet.pointer)
        if code == FFmpegStatus.again || code == FFmpegStatus.endOfFile { return false }
        try check(code, "cannot encode")
        return true
    }

    /// The encoder's codec parameters, for a muxer's stream.
    func copyParameters(to parameters: UnsafeMutablePointer<AVCodecParameters>) throws {
        try check(avcodec_parameters_from_context(parameters, context), "cannot copy encoder parameters")
    }

    /// The encoder's extradata (for AAC, the AudioSpecificConfig).
    var extradata: [UInt8] {
        guard let data = context.pointee.extradata, context.pointee.extradata_size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: Int(context.pointee.extradata_size)))
    }
}
