// Owns one AVPacket.
import CFFmpeg

/// A compressed packet owned by Swift; freed when the last reference goes.
final class Packet {
    let pointer: UnsafeMutablePointer<AVPacket>

    init() throws {
        guard let packet = av_packet_alloc() else { throw MediaError("out of memory allocating a packet") }
        pointer = packet
    }

    /// A new packet holding a reference to the same data as `other`.
    convenience init(referencing other: Packet) throws {
        try self.init()
        try check(av_packet_ref(pointer, other.pointer), "cannot reference a packet")
    }

    deinit {
        var packet: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&packet)
    }

    var pts: Int64 { pointer.pointee.pts }
    var duration: Int64 { pointer.pointee.duration }
    var size: Int { Int(pointer.pointee.size) }
    var streamIndex: Int { Int(pointer.pointee.stream_index) }
    var isKeyframe: Bool { pointer.pointee.flags & AV_PKT_FLAG_KEY != 0 }

    /// The packet's bytes, copied.
    var bytes: [UInt8] {
        guard let data = pointer.pointee.data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }

    func unref() { av_packet_unref(pointer) }
}
