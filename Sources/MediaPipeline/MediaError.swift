// The media module's one error type: a sentence a person can act on.
import CFFmpeg

/// An error from probing, decoding, encoding or packaging media, with a human-readable reason.
public struct MediaError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, in one sentence without a trailing period.
    public let reason: String

    /// Creates an error with the given reason.
    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }

    /// An error for an FFmpeg call that returned `code` while doing `action`.
    static func ffmpeg(_ code: Int32, _ action: String) -> MediaError {
        MediaError("\(action): \(ffmpegMessage(code))")
    }
}

/// FFmpeg's own message for an error code (what `av_err2str` gives in C).
func ffmpegMessage(_ code: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    veritas_error_string(code, &buffer, buffer.count)
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Throws a `MediaError` when an FFmpeg call failed; returns its non-negative result otherwise.
@discardableResult
func check(_ code: Int32, _ action: @autoclosure () -> String) throws -> Int32 {
    if code < 0 { throw MediaError.ffmpeg(code, action()) }
    return code
}

/// FFmpeg's "try again" and "end of stream" codes, which are states rather than failures.
enum FFmpegStatus {
    static let again = veritas_averror_eagain()
    static let endOfFile = veritas_averror_eof()
    static let invalidData = veritas_averror_invaliddata()
    static let noTimestamp = veritas_nopts_value()
}
