// The `veritas` command: operator verbs over VeritasCore.
import ArgumentParser

@main
struct Veritas: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "veritas",
        abstract: "Veritas: video-on-demand subscriptions with a social feed.",
        subcommands: [ShowsCommand.self, EpisodesCommand.self, IngestCommand.self, DemoCommand.self])
}
