// Picks and encodes the poster JPEG from the pictures an ingest passes through.
import CFFmpeg

/// Keeps a JPEG of the first picture at or after the poster time (or the last one before it).
final class PosterCapture {
    private let targetTime: Double
    private let scaler: Scaler
    private let encoder: Encoder
    private let packet: Packet
    private(set) var jpeg: [UInt8]?
    private var settled = false

    /// A capture for pictures of `width`×`height`, kept at most 1280 pixels wide.
    init(width: Int, height: Int, targetTime: Double) throws {
        self.targetTime = targetTime
        let scale = min(1, 1280 / Double(width))
        let outputWidth = max(2, Int((Double(width) * scale / 2).rounded()) * 2)
        let outputHeight = max(2, Int((Double(height) * scale / 2).rounded()) * 2)
        scaler = try Scaler(width: outputWidth, height: outputHeight, pixelFormat: AV_PIX_FMT_YUVJ420P)
        encoder = try Encoder.jpeg(width: outputWidth, height: outputHeight)
        packet = try Packet()
    }

    /// Offers the picture shown at `time` seconds.
    func offer(_ frame: Frame, at time: Double) throws {
        guard !settled, jpeg == nil || time >= targetTime else { return }
        let picture = try scaler.scale(frame)
        picture.pointer.pointee.pict_type = AV_PICTURE_TYPE_I
        try encoder.send(picture)
        while try encoder.receive(into: packet) { jpeg = packet.bytes }
        settled = time >= targetTime
    }
}
