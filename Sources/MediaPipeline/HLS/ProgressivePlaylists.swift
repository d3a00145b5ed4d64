// Writes an ingest's playlists while it runs (EVENT, no ENDLIST) so players start before it ends.
import Foundation
import Synchronization

/// Receives each segment as a rendition's writer finishes it (on that rendition's thread) and
/// keeps the growing playlists on disk.
///
/// A rendition's playlist is rewritten only when it lists more segments than the file already
/// there, so an ingest restarted after a crash, which writes the same segments again from the
/// start, never shows a player a shorter playlist than it saw before. The master playlist is
/// written once every rendition has a segment; `onPlayable` is then called once.
final class ProgressivePlaylists: Sendable {
    /// What is known of a rendition before any segment exists.
    struct Rendition: Sendable {
        var name: String
        var width: Int?
        var height: Int?
        var frameRate: Double?
    }

    private struct State {
        var segments: [String: [SegmentRecord]] = [:]
        var codecs: [String: String] = [:]
        /// Segments listed by the playlist file of each rendition (read from disk at the start).
        var listed: [String: Int] = [:]
        var playable = false
    }

    private let directory: URL
    private let video: [Rendition]
    private let audio: Rendition?
    private let audioChannels: Int
    private let onPlayable: @Sendable () -> Void
    private let state: Mutex<State>

    init(directory: URL, video: [Rendition], audio: Rendition?, audioChannels: Int, onPlayable: @escaping @Sendable () -> Void) {
        self.directory = directory
        self.video = video
        self.audio = audio
        self.audioChannels = audioChannels
        self.onPlayable = onPlayable
        var initial = State()
        for rendition in video + [audio].compactMap({ $0 }) {
            let existing = try? String(contentsOf: directory.appendingPathComponent("\(rendition.name)/index.m3u8"), encoding: .utf8)
            initial.listed[rendition.name] = existing.map { $0.components(separatedBy: "#EXTINF:").count - 1 } ?? 0
        }
        state = Mutex(initial)
    }

    /// What a rendition's segment writer calls with each finished segment.
    func sink(for rendition: String) -> @Sendable (SegmentRecord, String?) -> Void {
        { [self] segment, codecs in written(rendition: rendition, segment: segment, codecs: codecs) }
    }

    /// Records a finished segment of `rendition` and refreshes what players see.
    func written(rendition name: String, segment: SegmentRecord, codecs: String?) {
        let becamePlayable = state.withLock { state -> Bool in
            state.segments[name, default: []].append(segment)
            if let codecs { state.codecs[name] = codecs }
            let segments = state.segments[name] ?? []
            if segments.count > state.listed[name] ?? 0 {
                let text = MediaPlaylist(segments: segments, isComplete: false).render()
                if (try? Data(text.utf8).write(to: directory.appendingPathComponent("\(name)/index.m3u8"), options: .atomic)) != nil {
                    state.listed[name] = segments.count
                }
            }
            guard !state.playable, let master = master(state) else { return false }
            guard (try? Data(master.render().utf8).write(to: directory.appendingPathComponent("master.m3u8"), options: .atomic)) != nil
            else { return false }
            state.playable = true
            return true
        }
        if becamePlayable { onPlayable() }
    }

    /// The master playlist once every rendition has a listed segment and a codec string.
    private func master(_ state: State) -> MasterPlaylist? {
        func summary(_ rendition: Rendition) -> RenditionPlaylists? {
            guard let segments = state.segments[rendition.name], !segments.isEmpty, (state.listed[rendition.name] ?? 0) > 0,
                let codecs = state.codecs[rendition.name]
            else { return nil }
            return RenditionPlaylists(
                name: rendition.name, width: rendition.width, height: rendition.height, frameRate: rendition.frameRate, codecs: codecs,
                playlist: MediaPlaylist(segments: segments, isComplete: false))
        }
        let rungs = video.compactMap(summary)
        guard rungs.count == video.count else { return nil }
        var audioSummary: RenditionPlaylists?
        if let audio {
            guard let summary = summary(audio) else { return nil }
            audioSummary = summary
        }
        return LadderPlaylists.master(video: rungs, audio: audioSummary, audioChannels: audioChannels)
    }
}
