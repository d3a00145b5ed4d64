// `veritas shows add|list|publish`.
import ArgumentParser
import Foundation
import VeritasCore

extension ShowKind: ExpressibleByArgument {}

struct ShowsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shows", abstract: "Manage shows.", subcommands: [Add.self, List.self, Publish.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a show.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "URL name: lowercase letters, digits and hyphens.") var slug: String
        @Option(help: "Title.") var title: String
        @Option(help: "Description.") var description: String = ""
        @Option(help: "series, podcast or film.") var kind: ShowKind = .series
        @Option(name: .customLong("plan"), help: "A plan that unlocks it (repeat for several).") var plans: [String] = []
        @Flag(help: "Anyone with an account may play it.") var free = false
        @Flag(help: "Offer a series or film as a podcast too (its audio in RSS feeds).") var audioFeed = false

        func run() throws {
            let show = try global.installation().catalog.addShow(
                slug: slug, title: title, description: description, kind: kind, isFree: free, planIDs: plans, audioFeed: audioFeed)
            print("Added show \(show.slug) (id \(show.id)).")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List shows.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        struct Row: Encodable {
            let id, slug, title, kind, access: String
            let published: Bool
            let episodes: Int
        }

        func run() throws {
            let catalog = try global.installation().catalog
            let counts = Dictionary(grouping: try catalog.episodes(), by: \.show.id).mapValues(\.count)
            let rows = try catalog.shows().map { show in
                Row(
                    id: show.id, slug: show.slug, title: show.title, kind: show.kind.rawValue,
                    access: try accessDescription(show, catalog), published: show.isPublished, episodes: counts[show.id] ?? 0)
            }
            try ListOutput(
                columns: [
                    ("id", { $0.id }), ("slug", { $0.slug }), ("title", { $0.title }), ("kind", { $0.kind }),
                    ("access", { $0.access }), ("published", { $0.published ? "yes" : "no" }),
                    ("episodes", { String($0.episodes) }),
                ], rows: rows
            ).print(json: output.json)
        }
    }

    struct Publish: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Publish a show.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The show's slug or id.") var slug: String

        func run() throws {
            try global.installation().catalog.publishShow(slug)
            print("Published show \(slug).")
        }
    }
}

/// `free`, the unlocking plan ids (`basic,premium`), or `none` (admins only).
func accessDescription(_ show: Show, _ catalog: CatalogService) throws -> String {
    if show.isFree { return "free" }
    let plans = try catalog.unlockingPlans(show).sorted()
    return plans.isEmpty ? "none" : plans.joined(separator: ",")
}
