// Owns a demuxer (AVFormatContext) opened on a source file.
import CFFmpeg

/// A media file opened for reading with libavformat, its stream information already probed.
final class InputFile {
    let context: UnsafeMutablePointer<AVFormatContext>

    init(path: String) throws {
        // Every use of FFmpeg starts by opening a file. Failures reach callers as MediaError;
        // FFmpeg's own log lines would only garble the progress bar and the one-line error.
        av_log_set_level(AV_LOG_FATAL)
        var opened: UnsafeMutablePointer<AVFormatContext>?
        let code = avformat_open_input(&opened, path, nil, nil)
        guard code >= 0, let opened else {
            throw MediaError("not a media file FFmpeg can read (\(ffmpegMessage(code)))")
        }
        context = opened
        let probe = avformat_find_stream_info(opened, nil)
        if probe < 0 {
            throw MediaError("cannot read the streams of the file (\(ffmpegMessage(probe)))")
        }
    }

    deinit {
        var opened: UnsafeMutablePointer<AVFormatContext>? = context
        avformat_close_input(&opened)
    }

    var streamCount: Int { Int(context.pointee.nb_streams) }

    func stream(_ index: Int) -> UnsafeMutablePointer<AVStream>? {
        guard index >= 0, index < streamCount else { return nil }
        return context.pointee.streams[index]
    }

    /// The container's short name, e.g. `mov,mp4,m4a,3gp,3g2,mj2` or `matroska,webm`.
    var formatName: String {
        guard let name = context.pointee.iformat?.pointee.name else { return "unknown" }
        return String(cString: name)
    }

    /// The container's duration in seconds, when it declares one.
    var duration: Double? {
        let value = context.pointee.duration
        guard value != FFmpegStatus.noTimestamp, value > 0 else { return nil }
        return Double(value) / Double(AV_TIME_BASE)
    }

    /// Whether libavformat guessed the duration from the bit rate (raw MP3, some MPEG-TS), so it
    /// may be well off the real one.
    var durationIsEstimated: Bool {
        context.pointee.duration_estimation_method == AVFMT_DURATION_FROM_BITRATE
    }

    /// The container's start time in seconds (0 when undeclared).
    var startTime: Double {
        let value = context.pointee.start_time
        guard value != FFmpegStatus.noTimestamp else { return 0 }
        return Double(value) / Double(AV_TIME_BASE)
    }

    /// Reads the next packet; returns false at the end of the file. Corrupt data past the first
    /// packets ends the read like an end of file (what a truncated file looks like).
    func read(into packet: Packet) throws -> Bool {
        packet.unref()
        let code = av_read_frame(context, packet.pointer)
        if code == FFmpegStatus.endOfFile { return false }
        if code == FFmpegStatus.invalidData { return false }
        try check(code, "cannot read from the source")
        return true
    }
}
