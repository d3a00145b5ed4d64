// Owns a one-input, one-output libavfilter graph for video (used to turn rotated phone clips upright).
import CFFmpeg

/// A video filter chain such as `transpose=clock`, fed decoded frames and drained of filtered ones.
final class FilterGraph {
    private var graph: UnsafeMutablePointer<AVFilterGraph>?
    private let source: UnsafeMutablePointer<AVFilterContext>
    private let sink: UnsafeMutablePointer<AVFilterContext>

    /// Builds `description` for frames shaped like `first`, stamped in `timeBase`.
    init(description: String, first: Frame, timeBase: AVRational) throws {
        guard let graph = avfilter_graph_alloc() else { throw MediaError("out of memory allocating a filter graph") }
        self.graph = graph
        let shape = first.pointer.pointee
        let aspect = shape.sample_aspect_ratio.num > 0 ? shape.sample_aspect_ratio : AVRational(num: 1, den: 1)
        let arguments = "video_size=\(shape.width)x\(shape.height):pix_fmt=\(shape.format)"
            + ":time_base=\(timeBase.num)/\(timeBase.den):pixel_aspect=\(aspect.num)/\(aspect.den)"
        var source: UnsafeMutablePointer<AVFilterContext>?
        var sink: UnsafeMutablePointer<AVFilterContext>?
        do {
            try check(
                avfilter_graph_create_filter(&source, avfilter_get_by_name("buffer"), "in", arguments, nil, graph),
                "cannot create the filter input")
            try check(
                avfilter_graph_create_filter(&sink, avfilter_get_by_name("buffersink"), "out", nil, nil, graph),
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
