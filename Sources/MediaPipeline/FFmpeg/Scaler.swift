// Owns a libswscale context converting pictures to one size and pixel format.
import CFFmpeg

/// Scales and converts pictures to a fixed output size and pixel format, reusing one output frame
/// (a picture already in that shape passes through untouched). Bilinear is enough: with the default
/// ladder each rung is scaled from the next larger one by at most 1.5×.
final class Scaler {
    private var context: OpaquePointer?
    private let output: Frame
    let width: Int
    let height: Int
    let pixelFormat: AVPixelFormat

    init(width: Int, height: Int, pixelFormat: AVPixelFormat = AV_PIX_FMT_YUV420P) throws {
        self.width = width
        self.height = height
        self.pixelFormat = pixelFormat
        output = try Frame()
    }

    deinit { sws_freeContext(context) }

    /// Scales `source` into the scaler's output frame and returns it. The frame is reused on the
    /// next call; an encoder still holding it gets a copy made first (`av_frame_make_writable`).
    func scale(_ source: Frame) throws -> Frame {
        let input = source.pointer.pointee
        if input.width == Int32(width), input.height == Int32(height), input.format == pixelFormat.rawValue {
            return source
        }
        context = sws_getCachedContext(
            context, input.width, input.height, AVPixelFormat(rawValue: input.format),
            Int32(width), Int32(height), pixelFormat, Int32(SWS_BILINEAR), nil, nil, nil)
        guard let context else { throw MediaError("cannot scale \(input.width)x\(input.height) to \(width)x\(height)") }
        let frame = output.pointer
        if frame.pointee.data.0 == nil {
            frame.pointee.width = Int32(width)
            frame.pointee.height = Int32(height)
            frame.pointee.format = pixelFormat.rawValue
            try check(av_frame_get_buffer(frame, 0), "cannot allocate a picture")
        }
        try check(av_frame_make_writable(frame), "cannot allocate a picture")
        try withUnsafePointer(to: source.pointer.pointee.data) { sourceData in
            try withUnsafePointer(to: source.pointer.pointee.linesize) { sourceLines in
                try withUnsafeMutablePointer(to: &frame.pointee.data) { outputData in
                    try withUnsafeMutablePointer(to: &frame.pointee.linesize) { outputLines in
                        let height = sws_scale(
                            context,
                            UnsafeRawPointer(sourceData).assumingMemoryBound(to: UnsafePointer<UInt8>?.self),
                            UnsafeRawPointer(sourceLines).assumingMemoryBound(to: Int32.self),
                            0, input.height,
                            UnsafeMutableRawPointer(outputData).assumingMemoryBound(to: UnsafeMutablePointer<UInt8>?.self),
                            UnsafeMutableRawPointer(outputLines).assumingMemoryBound(to: Int32.self))
                        try check(height, "cannot scale a picture")
                    }
                }
            }
        }
        frame.pointee.pts = source.pointer.pointee.pts
        frame.pointee.pict_type = source.pointer.pointee.pict_type
        return output
    }
}
