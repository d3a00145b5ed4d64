// The `veritas` command: operator verbs over VeritasCore.
import ArgumentParser
import Foundation

@main
struct Veritas: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "veritas",
        abstract: "Veritas: video-on-demand subscriptions with a social feed.",
        subcommands: [
            ShowsCommand.self, EpisodesCommand.self, IngestCommand.self, UsersCommand.self, PlansCommand.self,
            SubscriptionsCommand.self, KeysCommand.self, JobsCommand.self, StatsCommand.self, ServeCommand.self, DemoCommand.self,
        ])

    /// Runs the command; any error is one line on stderr and a non-zero exit (help and usage
    /// text only when asked for with --help).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            guard code != .success else { exit(withError: error) }
            let message = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            FileHandle.standardError.write(Data("error: \(message)\n".utf8))
            Foundation.exit(code.rawValue)
        }
    }
}
