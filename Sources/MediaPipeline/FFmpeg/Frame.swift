// Owns one AVFrame.
import CFFmpeg

/// A decoded picture or block of audio samples owned by Swift.
final class Frame {
    let pointer: UnsafeMutablePointer<AVFrame>

    init() throws {
        guard let frame = av_frame_alloc() else { throw MediaError("out of memory allocating a frame") }
        pointer = frame
    }

    /// A new frame holding references to the same buffers (and properties) as `other`.
    convenience init(referencing other: Frame) throws {
        try self.init()
        try check(av_frame_ref(pointer, other.pointer), "cannot reference a frame")
    }

    deinit {
        var frame: UnsafeMutablePointer<AVFrame>? = pointer
        av_frame_free(&frame)
    }

    var sampleCount: Int32 { pointer.pointee.nb_samples }

    /// The best guess of the frame's presentation time in its stream's time base.
    var bestEffortTimestamp: Int64 {
        let best = pointer.pointee.best_effort_timestamp
        return best != FFmpegStatus.noTimestamp ? best : pointer.pointee.pts
    }

    func unref() { av_frame_unref(pointer) }
}
