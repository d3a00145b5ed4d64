// Reads a source's container and stream facts with libavformat.
import CFFmpeg
import Foundation

/// Probes media files.
public enum MediaProbe {
    /// The facts of the file at `path`; throws a `MediaError` for anything FFmpeg cannot read.
    public static func probe(path: String) throws -> SourceInfo {
        try probe(InputFile(path: path))
    }

    static func probe(_ input: InputFile) throws -> SourceInfo {
        var streams: [SourceInfo.Stream] = []
        var video: SourceInfo.Video?
        var audio: SourceInfo.Audio?
        for index in 0..<input.streamCount {
            guard let stream = input.stream(index), let parameters = stream.pointee.codecpar else { continue }
            let codec = String(cString: avcodec_get_name(parameters.pointee.codec_id))
            let attached = stream.pointee.disposition & AV_DISPOSITION_ATTACHED_PIC != 0
            let kind = mediaKind(parameters.pointee.codec_type)
            streams.append(.init(index: index, kind: kind, codec: codec, isAttachedPicture: attached))
            if kind == "video", !attached, parameters.pointee.width > 0, parameters.pointee.height > 0 {
                let candidate = videoInfo(stream: stream, index: index, codec: codec)
                if video.map({ $0.width * $0.height < candidate.width * candidate.height }) ?? true { video = candidate }
            }
            if kind == "audio", audio == nil, parameters.pointee.sample_rate > 0 {
                audio = .init(
                    index: index, codec: codec, sampleRate: Int(parameters.pointee.sample_rate),
                    channels: Int(parameters.pointee.ch_layout.nb_channels))
            }
        }
        return SourceInfo(
            container: input.formatName, duration: input.duration, streams: streams, video: video, audio: audio,
            chapters: chapters(input), tags: tags(input))
    }

    /// The title and description tags, trimmed; libavformat maps ID3's TIT2/COMM, MP4's ©nam/©cmt
    /// and desc, and Matroska's tags to these names.
    private static func tags(_ input: InputFile) -> SourceInfo.Tags {
        let metadata = input.context.pointee.metadata
        func value(_ keys: String...) -> String? {
            for key in keys {
                guard let entry = av_dict_get(metadata, key, nil, 0), let text = entry.pointee.value else { continue }
                let value = String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
                if !value.isEmpty { return value }
            }
            return nil
        }
        return SourceInfo.Tags(title: value("title"), description: value("description", "comment", "synopsis"))
    }

    /// The container's chapters in start order, times in seconds from the start of the media.
    private static func chapters(_ input: InputFile) -> [SourceInfo.Chapter] {
        let context = input.context.pointee
        guard context.nb_chapters > 0, let list = context.chapters else { return [] }
        return (0..<Int(context.nb_chapters)).compactMap { index -> SourceInfo.Chapter? in
            guard let chapter = list[index] else { return nil }
            let base = chapter.pointee.time_base
            guard base.den != 0 else { return nil }
            let start = Double(chapter.pointee.start) * Double(base.num) / Double(base.den) - input.startTime
            let title = av_dict_get(chapter.pointee.metadata, "title", nil, 0).flatMap { $0.pointee.value.map { String(cString: $0) } }
            return SourceInfo.Chapter(start: max(0, start), title: title ?? "Chapter \(index + 1)")
        }
        .sorted { $0.start < $1.start }
    }

    private static func mediaKind(_ type: AVMediaType) -> String {
        switch type {
        case AVMEDIA_TYPE_VIDEO: return "video"
        case AVMEDIA_TYPE_AUDIO: return "audio"
        case AVMEDIA_TYPE_SUBTITLE: return "subtitle"
        case AVMEDIA_TYPE_ATTACHMENT: return "attachment"
        default: return "data"
        }
    }

    private static func videoInfo(stream: UnsafeMutablePointer<AVStream>, index: Int, codec: String) -> SourceInfo.Video {
        let parameters = stream.pointee.codecpar.pointee
        let width = Int(parameters.width), height = Int(parameters.height)
        var aspect = parameters.sample_aspect_ratio
        if aspect.num <= 0 || aspect.den <= 0 { aspect = stream.pointee.sample_aspect_ratio }
        var displayWidth = width
        if aspect.num > 0, aspect.den > 0, aspect.num != aspect.den {
            displayWidth = Int((Double(width) * Double(aspect.num) / Double(aspect.den)).rounded())
        }
        let rotation = rotationDegrees(stream)
        let rotated = rotation == 90 || rotation == 270
        return SourceInfo.Video(
            index: index, codec: codec, width: width, height: height,
            displayWidth: rotated ? height : displayWidth, displayHeight: rotated ? displayWidth : height,
            rotation: rotation, frameRate: frameRate(stream))
    }

    /// The clockwise rotation a player applies, from the stream's display matrix.
    private static func rotationDegrees(_ stream: UnsafeMutablePointer<AVStream>) -> Int {
        var size: Int = 0
        guard let data = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size), size >= 36 else { return 0 }
        let counterClockwise = data.withMemoryRebound(to: Int32.self, capacity: 9) { av_display_rotation_get($0) }
        guard counterClockwise.isFinite else { return 0 }
        let clockwise = Int((-counterClockwise / 90).rounded()) * 90
        return ((clockwise % 360) + 360) % 360
    }

    private static func frameRate(_ stream: UnsafeMutablePointer<AVStream>) -> Double {
        for rate in [stream.pointee.avg_frame_rate, stream.pointee.r_frame_rate] where rate.num > 0 && rate.den > 0 {
            let value = Double(rate.num) / Double(rate.den)
            if value >= 1, value <= 240 { return value }
        }
        return 30
    }
}
