// A generated picture for episodes and shows that have no artwork of their own.
import CFFmpeg

/// A square JPEG drawn here (a dark diagonal gradient with a lighter disc, Veritas's colours),
/// so a podcast episode without cover art still has a poster that players and podcast apps
/// can show.
public enum PlaceholderArtwork {
    /// The JPEG bytes of a `size`×`size` picture (even, at least 16).
    public static func jpeg(size: Int = 1400) throws -> [UInt8] {
        let side = max(16, size / 2 * 2)
        let frame = try Frame()
        let picture = frame.pointer
        picture.pointee.width = Int32(side)
        picture.pointee.height = Int32(side)
        picture.pointee.format = AV_PIX_FMT_YUVJ420P.rawValue
        try check(av_frame_get_buffer(picture, 0), "cannot allocate the artwork")
        let (centre, radius) = (Double(side) / 2, Double(side) * 0.3)
        guard let luma = picture.pointee.data.0, let blue = picture.pointee.data.1, let red = picture.pointee.data.2 else {
            throw MediaError("cannot allocate the artwork")
        }
        let (lumaStride, blueStride, redStride) = (Int(picture.pointee.linesize.0), Int(picture.pointee.linesize.1), Int(picture.pointee.linesize.2))
        for y in 0..<side {
            for x in 0..<side {
                let (dx, dy) = (Double(x) - centre, Double(y) - centre)
                let inDisc = dx * dx + dy * dy < radius * radius
                let shade = Double(x + y) / Double(2 * side)
                luma[y * lumaStride + x] = UInt8(inDisc ? 200 - 40 * shade : 40 + 50 * shade)
            }
        }
        for y in 0..<side / 2 {
            for x in 0..<side / 2 {
                blue[y * blueStride + x] = 150
                red[y * redStride + x] = 110
            }
        }
        let encoder = try Encoder.jpeg(width: side, height: side)
        let packet = try Packet()
        picture.pointee.pict_type = AV_PICTURE_TYPE_I
        try encoder.send(frame)
        try encoder.send(nil)
        var jpeg: [UInt8] = []
        while try encoder.receive(into: packet) { jpeg = packet.bytes }
        guard !jpeg.isEmpty else { throw MediaError("the artwork encoder produced nothing") }
        return jpeg
    }
}
