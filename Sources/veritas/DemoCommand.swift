// `veritas demo`: generate sample media with FFmpeg, ingest it, and print the catalog.
import ArgumentParser
import Foundation
import VeritasCore

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Seed a sample show and podcast generated with FFmpeg, then print the catalog.")

    @OptionGroup var global: GlobalOptions

    /// One piece of sample content: its show and how FFmpeg's test sources make its file.
    struct Sample {
        let slug, showTitle, description, episodeTitle, file: String
        let kind: ShowKind
        let isFree: Bool
        let ffmpegArguments: [String]
    }

    static let samples = [
        Sample(
            slug: "veritas-tonight", showTitle: "Veritas Tonight", description: "The nightly show, for subscribers.",
            episodeTitle: "Pilot", file: "veritas-tonight.mp4", kind: .series, isFree: false,
            ffmpegArguments: [
                "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:duration=20",
                "-f", "lavfi", "-i", "sine=frequency=440:beep_factor=4:sample_rate=48000:duration=20",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
            ]),
        Sample(
            slug: "morning-brief", showTitle: "The Morning Brief", description: "Five minutes of news, free for everyone.",
            episodeTitle: "Episode 1", file: "morning-brief.wav", kind: .podcast, isFree: true,
            ffmpegArguments: [
                "-f", "lavfi", "-i", "sine=frequency=220:beep_factor=2:sample_rate=44100:duration=30", "-ac", "1",
            ]),
    ]

    func run() throws {
        let installation = try global.installation()
        let catalog = CatalogService(store: installation.store)
        let sources = installation.paths.root.appendingPathComponent("demo", isDirectory: true)
        try FileManager.default.createDirectory(at: sources, withIntermediateDirectories: true)
        installInterruptHandler()

        for sample in Self.samples {
            let show = try (try? catalog.show(sample.slug))
                ?? catalog.addShow(
                    slug: sample.slug, title: sample.showTitle, description: sample.description, kind: sample.kind,
                    isFree: sample.isFree)
            try catalog.publishShow(show.id)
            let hasReadyEpisode = try catalog.episodes(show: show.id).contains { $0.asset?.status == .ready }
            guard !hasReadyEpisode else { continue }
            let file = sources.appendingPathComponent(sample.file)
            try generate(sample, into: file)
            let bar = ProgressBar(label: sample.file)
            let episode = try Ingestor(installation: installation).ingest(
                IngestRequest(sourcePath: file.path, show: show.id, title: sample.episodeTitle, season: 1, number: 1, publish: true),
                progress: bar.update, isCancelled: { interruptRequested.load(ordering: .relaxed) })
            bar.finish()
            print("Ingested \(sample.showTitle): \(episode.title) (episode \(episode.id))")
        }

        print("\nCatalog in \(installation.paths.root.path):")
        for listing in try catalog.episodes() {
            let status = listing.asset?.status.rawValue ?? "missing"
            print("  \(listing.show.title) [\(listing.show.isFree ? "free" : "subscribers")] — \(listing.episode.title): \(status), \(formatDuration(listing.asset?.duration)), episode id \(listing.episode.id)")
        }
    }

    /// Makes a sample file with the `ffmpeg` command (sample data only; ingest never spawns it).
    private func generate(_ sample: Sample, into file: URL) throws {
        guard !FileManager.default.fileExists(atPath: file.path) else { return }
        let partial = file.deletingPathExtension().appendingPathExtension("partial." + file.pathExtension)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ffmpeg", "-nostdin", "-v", "error", "-y"] + sample.ffmpegArguments + [partial.path]
        do {
            try process.run()
        } catch {
            throw ValidationError("the demo needs the ffmpeg command to make sample media (apt-get install ffmpeg)")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ValidationError("ffmpeg could not generate \(file.lastPathComponent) (exit \(process.terminationStatus))")
        }
        try FileManager.default.moveItem(at: partial, to: file)
    }
}
