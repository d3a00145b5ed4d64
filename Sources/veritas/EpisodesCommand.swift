// `veritas episodes list|publish|unpublish`.
import ArgumentParser
import Foundation
import VeritasCore

struct EpisodesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "episodes", abstract: "Manage episodes.", subcommands: [List.self, Publish.self, Unpublish.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List episodes.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Only this show (slug or id).") var show: String?

        struct Row: Encodable {
            let id, show, title, description, status: String
            let season, episode: Int?
            let duration: Double?
            let published: Bool
            let assetID: String
            let failureReason: String?

            enum CodingKeys: String, CodingKey {
                case id, show, title, description, status, season, episode, duration, published
                case assetID = "asset_id", failureReason = "failure_reason"
            }
        }

        func run() throws {
            let rows = try global.installation().catalog.episodes(show: show).map { listing in
                Row(
                    id: listing.episode.id, show: listing.show.slug, title: listing.episode.title,
                    description: listing.episode.description,
                    status: listing.asset?.status.rawValue ?? "missing", season: listing.episode.season,
                    episode: listing.episode.number, duration: listing.asset?.duration,
                    published: listing.episode.isPublished, assetID: listing.episode.assetID,
                    failureReason: listing.asset?.failureReason)
            }
            try ListOutput(
                columns: [
                    ("id", { $0.id }), ("show", { $0.show }), ("season", { $0.season.map(String.init) ?? "-" }),
                    ("episode", { $0.episode.map(String.init) ?? "-" }), ("title", { $0.title }),
                    ("status", { $0.status }), ("duration", { formatDuration($0.duration) }),
                    ("published", { $0.published ? "yes" : "no" }),
                ], rows: rows
            ).print(json: output.json)
        }
    }

    struct Publish: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Publish an episode whose media is ready.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Episode id.") var id: String

        func run() throws {
            try global.installation().catalog.publishEpisode(id)
            print("Published episode \(id).")
        }
    }

    struct Unpublish: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Withdraw an episode from viewers.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Episode id.") var id: String

        func run() throws {
            try global.installation().catalog.unpublishEpisode(id)
            print("Unpublished episode \(id).")
        }
    }
}
