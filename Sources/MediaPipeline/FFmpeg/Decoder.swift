// Owns a decoder (AVCodecContext) for one input stream.
import CFFmpeg

/// Decodes one stream of an `InputFile` into frames.
final class Decoder {
    let context: UnsafeMutablePointer<AVCodecContext>
    /// Packets the decoder rejected as corrupt; decoding carries on past them as players do.
    private(set) var corruptPackets = 0

    init(stream: UnsafeMutablePointer<AVStream>) throws {
        guard let parameters = stream.pointee.codecpar else { throw MediaError("a stream has no codec parameters") }
        guard let codec = avcodec_find_decoder(parameters.pointee.codec_id) else {
            let name = String(cString: avcodec_get_name(parameters.pointee.codec_id))
            throw MediaError("no decoder for the \(name) codec")
        }
        guard let context = avcodec_alloc_context3(codec) else {
            throw MediaError("out of memory allocating a decoder")
        }
        self.context = context
        try check(avcodec_parameters_to_context(context, parameters), "cannot configure the decoder")
        context.pointee.pkt_timebase = stream.pointee.time_base
        context.pointee.thread_count = 0
        try check(avcodec_open2(context, codec, nil), "cannot open the \(String(cString: codec.pointee.name)) decoder")
    }

    deinit {
        var context: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&context)
    }

    /// Sends a packet, or `nil` to flush at the end of the stream.
    func send(_ packet: Packet?) throws {
        let code = avcodec_send_packet(context, packet?.pointer)
        if code == FFmpegStatus.invalidData {
            corruptPackets += 1
            return
        }
        if code == FFmpegStatus.endOfFile { return }
        try check(code, "cannot decode the source")
    }

    /// Receives the next decoded frame; false when the decoder needs more input or is drained.
    func receive(into frame: Frame) throws -> Bool {
        frame.unref()
        let code = avcodec_receive_frame(context, frame.pointer)
        if code == FFmpegStatus.again || code == FFmpegStatus.endOfFile { return false }
        if code == FFmpegStatus.invalidData {
            corruptPackets += 1
            return false
        }
        try check(code, "cannot decode the source")
        return true
    }
}
