// Writes the downloadable M4A (AAC in MP4) enclosure of an audio-only asset.
import CFFmpeg
import Foundation

/// Muxes AAC packets into an `.m4a` file with the index up front (faststart) for podcast apps.
final class EnclosureWriter {
    private let context: UnsafeMutablePointer<AVFormatContext>
    private let stream: UnsafeMutablePointer<AVStream>
    private let packetTimeBase: AVRational
    private var finished = false

    init(path: URL, encoder: Encoder) throws {
        var context: UnsafeMutablePointer<AVFormatContext>?
        try check(avformat_alloc_output_context2(&context, nil, "ipod", path.path), "cannot create an M4A muxer")
        guard let context else { throw MediaError("cannot create an M4A muxer") }
        self.context = context
        guard let stream = avformat_new_stream(context, nil) else {
            avformat_free_context(context)
            throw MediaError("cannot add a stream")
        }
        self.stream = stream
        packetTimeBase = encoder.context.pointee.time_base
        try encoder.copyParameters(to: stream.pointee.codecpar)
        stream.pointee.time_base = packetTimeBase
        try check(avio_open(&context.pointee.pb, path.path, AVIO_FLAG_WRITE), "cannot create \(path.lastPathComponent)")
        var options: OpaquePointer?
        av_dict_set(&options, "movflags", "+faststart", 0)
        defer { av_dict_free(&options) }
        try check(avformat_write_header(context, &options), "cannot start the M4A file")
    }

    deinit {
        if context.pointee.pb != nil { avio_closep(&context.pointee.pb) }
        avformat_free_context(context)
    }

    /// Adds a packet in the encoder's time base.
    func append(_ packet: Packet) throws {
        let copy = try Packet(referencing: packet)
        copy.pointer.pointee.stream_index = 0
        av_packet_rescale_ts(copy.pointer, packetTimeBase, stream.pointee.time_base)
        try check(av_interleaved_write_frame(context, copy.pointer), "cannot write the M4A file")
    }

    /// Writes the index and closes the file.
    func finish() throws {
        guard !finished else { return }
        finished = true
        try check(av_write_trailer(context), "cannot finish the M4A file")
        try check(avio_closep(&context.pointee.pb), "cannot close the M4A file")
    }
}
