// `veritas ingest FILE --show SLUG --title T`: transcode a file into a ready episode.
import ArgumentParser
import Foundation
import Synchronization
import VeritasCore

/// Set by SIGINT/SIGTERM so a running ingest stops between two packets and cleans up.
let interruptRequested = Atomic<Bool>(false)

/// Routes Ctrl-C (and SIGTERM) to `interruptRequested`; a second one exits at once.
func installInterruptHandler() {
    var signals = sigset_t()
    sigemptyset(&signals)
    for signalNumber in [SIGINT, SIGTERM] {
        signal(signalNumber) { _ in
            if interruptRequested.exchange(true, ordering: .relaxed) { _exit(130) }
        }
        sigaddset(&signals, signalNumber)
    }
    // A parent may have started us with these blocked (test runners and supervisors do).
    pthread_sigmask(SIG_UNBLOCK, &signals, nil)
}

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest", abstract: "Transcode a video or audio file into an episode of a show.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The source file (any format FFmpeg reads).") var file: String
    @Option(help: "The show's slug or id.") var show: String
    @Option(help: "Episode title (default: the file's title tag, else its name).") var title: String?
    @Option(help: "Season number.") var season: Int?
    @Option(help: "Episode number.") var episode: Int?
    @Option(help: "Episode description (default: the file's description or comment tag).") var description: String = ""
    @Flag(help: "Publish the episode when it is ready.") var publish = false

    func run() throws {
        let installation = try global.installation()
        installInterruptHandler()
        let bar = ProgressBar(label: URL(fileURLWithPath: file).lastPathComponent)
        let request = IngestRequest(
            sourcePath: file, show: show, title: title ?? "", season: season, number: episode, description: description,
            publish: publish)
        let result: Episode
        do {
            result = try Ingestor(installation: installation).ingest(
                request, progress: bar.update, isCancelled: { interruptRequested.load(ordering: .relaxed) })
            bar.finish()
        } catch {
            bar.finish()
            throw error
        }
        let asset = try installation.store.asset(id: result.assetID)
        let renditions = try installation.store.renditions(assetID: result.assetID)
        print("Episode \(result.id) \(result.isPublished ? "published" : "ready (unpublished)"): \(result.title)")
        print("  duration \(formatDuration(asset?.duration)), renditions: " + renditions.map(\.name).joined(separator: ", "))
        print("  files in \(installation.paths.asset(result.assetID).path)")
    }
}
