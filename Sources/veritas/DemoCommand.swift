// `veritas demo`: generate sample media with FFmpeg, ingest it, and print the catalog.
import ArgumentParser
import Foundation
import VeritasCore

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Seed a sample show, a podcast and demo accounts, print them, then serve.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Address to listen on.") var host: String?
    @Option(help: "Port (0 picks a free one).") var port: Int?
    @Flag(help: "Seed and print, but do not start the server.") var noServe = false

    /// Demo accounts: name, e-mail, password, role, and whether they get the premium plan.
    static let accounts: [(name: String, email: String, password: String, role: AccountRole, subscribed: Bool)] = [
        ("admin", "admin@veritas.example", "veritas-admin", .admin, false),
        ("sam", "sam@veritas.example", "veritas-subscriber", .user, true),
        ("vic", "vic@veritas.example", "veritas-viewer", .user, false),
    ]

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

    func run() async throws {
        var config = try VeritasConfig.load(path: global.config)
        if let host { config.host = host }
        if let port { config.port = port }
        let installation = try Installation(config: config)
        try seed(installation)
        guard !noServe else { return }
        // The catalog and the accounts must reach a pipe or a log now, not when the server stops
        // (nil flushes every output stream, standard output among them).
        fflush(nil)
        try await serve(installation) { line in
            FileHandle.standardOutput.write(Data("\n\(line)\nOpen it in a browser, or point a Mastodon client at it; Ctrl-C stops it.\n".utf8))
        }
    }

    private func seed(_ installation: Installation) throws {
        let catalog = installation.catalog
        let sources = installation.paths.root.appendingPathComponent("demo", isDirectory: true)
        try FileManager.default.createDirectory(at: sources, withIntermediateDirectories: true)
        installInterruptHandler()
        if try installation.store.plan(id: "premium") == nil {
            try installation.billing.addPlan(id: "premium", name: "Veritas Premium", price: "9.99", period: .month)
        }

        for sample in Self.samples {
            let show = try (try? catalog.show(sample.slug))
                ?? catalog.addShow(
                    slug: sample.slug, title: sample.showTitle, description: sample.description, kind: sample.kind,
                    isFree: sample.isFree, planIDs: sample.isFree ? [] : ["premium"])
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

        for account in Self.accounts {
            let existing = try installation.store.account(login: account.name)
            let user = try existing
                ?? installation.accounts.create(username: account.name, email: account.email, password: account.password, role: account.role).account
            let active = try installation.store.subscriptions(accountID: user.id)
                .contains { $0.effectiveStatus(at: installation.clock.now) == .active }
            if account.subscribed, !active { try installation.billing.grant(account: user, planID: "premium", days: 365) }
            // Everyone follows the shows, so their home timelines start with the announcements.
            for show in try catalog.shows() {
                try installation.social.follow(try installation.social.feedAccount(for: show).id, by: user)
            }
            if existing == nil, account.subscribed {
                try installation.social.post(StatusDraft(text: "Just watched the first episode of Veritas Tonight. #VeritasTonight"), by: user)
            }
        }

        print("\nCatalog in \(installation.paths.root.path):")
        for listing in try catalog.episodes() {
            let status = listing.asset?.status.rawValue ?? "missing"
            print("  \(listing.show.title) [\(listing.show.isFree ? "free" : "premium")] — \(listing.episode.title): \(status), \(formatDuration(listing.asset?.duration)), episode id \(listing.episode.id)")
        }
        print("\nDemo accounts (sign in with the e-mail or the name):")
        for account in Self.accounts {
            let role = account.role == .admin ? "admin, plays everything" : account.subscribed ? "subscriber (premium)" : "viewer, no subscription"
            print("  \(account.email.padding(toLength: 24, withPad: " ", startingAt: 0)) password \(account.password.padding(toLength: 20, withPad: " ", startingAt: 0)) \(role)")
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
