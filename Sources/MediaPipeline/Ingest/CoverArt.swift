// The cover art that MP3 (ID3 APIC) and M4A (covr) files carry, as the poster of audio episodes.
import CFFmpeg

/// Reads an attached picture of a source and re-encodes it as the poster JPEG.
enum CoverArt {
    /// The JPEG of the attached picture in stream `index` of `input` (at most 1280 pixels wide),
    /// or nil when it cannot be decoded: a broken cover never fails an ingest.
    static func jpeg(of input: InputFile, streamIndex index: Int) -> [UInt8]? {
        guard let stream = input.stream(index), stream.pointee.attached_pic.size > 0,
            let decoder = try? Decoder(stream: stream), let packet = try? Packet(), let frame = try? Frame(),
            av_packet_ref(packet.pointer, &stream.pointee.attached_pic) >= 0
        else { return nil }
        do {
            try decoder.send(packet)
            try decoder.send(nil)
            guard try decoder.receive(into: frame) else { return nil }
            let shape = frame.pointer.pointee
            let capture = try PosterCapture(width: Int(shape.width), height: Int(shape.height), targetTime: 0)
            try capture.offer(frame, at: 0)
            return capture.jpeg
        } catch {
            return nil
        }
    }
}
