// Muxes packets of one elementary stream into standalone MPEG-TS byte strings in memory.
import CFFmpeg

/// Writes self-contained MPEG-TS blobs (PAT/PMT first) for one encoder's packets in 1/90000 s.
final class TSMuxer {
    private let parameters: UnsafeMutablePointer<AVCodecParameters>

    init(encoder: Encoder) throws {
        guard let parameters = avcodec_parameters_alloc() else { throw MediaError("out of memory") }
        self.parameters = parameters
        try encoder.copyParameters(to: parameters)
    }

    deinit {
        var parameters: UnsafeMutablePointer<AVCodecParameters>? = parameters
        avcodec_parameters_free(&parameters)
    }

    /// The transport stream holding `packets`, whose timestamps are in 1/90000 s.
    func mux(_ packets: [Packet]) throws -> [UInt8] {
        var context: UnsafeMutablePointer<AVFormatContext>?
        try check(avformat_alloc_output_context2(&context, nil, "mpegts", nil), "cannot create an MPEG-TS muxer")
        guard let context else { throw MediaError("cannot create an MPEG-TS muxer") }
        defer {
            if let pb = context.pointee.pb {
                var buffer: UnsafeMutablePointer<UInt8>?
                _ = avio_close_dyn_buf(pb, &buffer)
                av_free(buffer)
            }
            avformat_free_context(context)
        }
        guard let stream = avformat_new_stream(context, nil) else { throw MediaError("cannot add a stream") }
        try check(avcodec_parameters_copy(stream.pointee.codecpar, parameters), "cannot set stream parameters")
        stream.pointee.time_base = AVRational(num: 1, den: 90_000)
        // Each segment is its own muxer; the same fixed delay in all of them keeps timestamps
        // continuous across segments, and no shifting of the first segment's negative DTS.
        context.pointee.max_delay = 700_000
        context.pointee.avoid_negative_ts = AVFMT_AVOID_NEG_TS_DISABLED
        try check(avio_open_dyn_buf(&context.pointee.pb), "cannot open a memory buffer")
        try check(avformat_write_header(context, nil), "cannot start an MPEG-TS segment")
        let scratch = try Packet()
        for packet in packets {
            try check(av_packet_ref(scratch.pointer, packet.pointer), "cannot reference a packet")
            scratch.pointer.pointee.stream_index = 0
            let code = av_write_frame(context, scratch.pointer)
            scratch.unref()
            try check(code, "cannot write an MPEG-TS packet")
        }
        try check(av_write_trailer(context), "cannot finish an MPEG-TS segment")
        var buffer: UnsafeMutablePointer<UInt8>?
        let size = avio_close_dyn_buf(context.pointee.pb, &buffer)
        context.pointee.pb = nil
        defer { av_free(buffer) }
        guard let buffer, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: buffer, count: Int(size)))
    }
}
