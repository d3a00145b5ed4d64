// Owns a one-input, one-output libavfilter graph: video (turning rotated phone clips upright)
// or audio (measuring and normalising loudness).
import CFFmpeg

/// A filter chain such as `transpose=clock` or `volume=3dB`, fed decoded frames and drained of
/// filtered ones.
final class FilterGraph {
    private var graph: UnsafeMutablePointer<AVFilterGraph>?
    private let source: UnsafeMutablePointer<AVFilterContext>
    private let sink: UnsafeMutablePointer<AVFilterContext>

    /// Builds the video chain `description` for frames shaped like `first`, stamped in `timeBase`.
    convenience init(description: String, first: Frame, timeBase: AVRational) throws {
        let shape = first.pointer.pointee
        let aspect = shape.sample_aspect_ratio.num > 0 ? shape.sample_aspect_ratio : AVRational(num: 1, den: 1)
        let arguments = "video_size=\(shape.width)x\(shape.height):pix_fmt=\(shape.format)"
            + ":time_base=\(timeBase.num)/\(timeBase.den):pixel_aspect=\(aspect.num)/\(aspect.den)"
        try self.init(input: "buffer", output: "buffersink", arguments: arguments, description: description)
    }

    /// Builds the audio chain `description` for frames shaped like `first` (stamped in samples).
    convenience init(audioDescription description: String, first: Frame) throws {
        let shape = first.pointer.pointee
        var layout = shape.ch_layout
        if layout.order == AV_CHANNEL_ORDER_UNSPEC { av_channel_layout_default(&layout, layout.nb_channels) }
        var name = [CChar](repeating: 0, count: 128)
        guard av_channel_layout_describe(&layout, &name, name.count) >= 0,
            let format = av_get_sample_fmt_name(AVSampleFormat(rawValue: shape.format))
        else { throw MediaError("the audio has a layout or sample format the filters cannot take") }
        let arguments = "time_base=1/\(shape.sample_rate):sample_rate=\(shape.sample_rate):sample_fmt=\(String(cString: format))"
            + ":channel_layout=\(String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))"
        try self.init(input: "abuffer", output: "abuffersink", arguments: arguments, description: description)
    }

    private init(input: String, output: String, arguments: String, description: String) throws {
        guard let graph = avfilter_graph_alloc() else { throw MediaError("out of memory allocating a filter graph") }
        self.graph = graph
        var source: UnsafeMutablePointer<AVFilterContext>?
        var sink: UnsafeMutablePointer<AVFilterContext>?
        do {
            try check(
                avfilter_graph_create_filter(&source, avfilter_get_by_name(input), "in", arguments, nil, graph),
                "cannot create the filter input")
            try check(
                avfilter_graph_create_filter(&sink, avfilter_get_by_name(output), "out", nil, nil, graph),
                "cannot create the filter output")
            guard let source, let sink else { throw MediaError("cannot create the filter graph") }
            self.source = source
            self.sink = sink
        } catch {
            avfilter_graph_free(&self.graph)
            throw error
        }
        var outputs = avfilter_inout_alloc()
        var inputs = avfilter_inout_alloc()
        defer {
            avfilter_inout_free(&outputs)
            avfilter_inout_free(&inputs)
        }
        guard let output = outputs, let input = inputs else { throw MediaError("out of memory allocating a filter graph") }
        output.pointee.name = av_strdup("in")
        output.pointee.filter_ctx = self.source
        input.pointee.name = av_strdup("out")
        input.pointee.filter_ctx = self.sink
        // Parsing consumes both lists and leaves what is left unlinked in them, freed above.
        try check(avfilter_graph_parse_ptr(graph, description, &inputs, &outputs, nil), "bad filter \(description)")
        try check(avfilter_graph_config(graph, nil), "cannot configure the filter \(description)")
    }

    deinit { avfilter_graph_free(&graph) }

    /// Feeds a frame, or `nil` at the end of the stream.
    func push(_ frame: Frame?) throws {
        try check(
            av_buffersrc_add_frame_flags(source, frame?.pointer, Int32(AV_BUFFERSRC_FLAG_KEEP_REF)),
            "cannot filter a frame")
    }

    /// Takes the next filtered frame; false when the graph needs more input or is drained.
    func pull(into frame: Frame) throws -> Bool {
        frame.unref()
        let code = av_buffersink_get_frame(sink, frame.pointer)
        if code == FFmpegStatus.again || code == FFmpegStatus.endOfFile { return false }
        try check(code, "cannot filter a frame")
        return true
    }

    /// The filter that turns a picture with this clockwise display rotation upright, if any.
    static func uprightFilter(rotation: Int) -> String? {
        switch rotation {
        case 90: return "transpose=clock"
        case 180: return "hflip,vflip"
        case 270: return "transpose=cclock"
        default: return nil
        }
    }
}
