// `veritas keys list|rotate|retire` and `veritas stats`.
import ArgumentParser
import Foundation
import VeritasCore

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Manage playback-token signing keys.", subcommands: [List.self, Rotate.self, Retire.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The signing keys, oldest first; the last one signs.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        /// A key as listed: never its secret.
        struct Row: Encodable {
            let id: String
            let createdAt: Date
            let signs: Bool

            enum CodingKeys: String, CodingKey {
                case id, createdAt = "created_at", signs
            }
        }

        func run() throws {
            let ring = try global.installation().tokenKeyRing()
            let rows = ring.keys.map { Row(id: $0.id, createdAt: $0.createdAt, signs: $0.id == ring.current.id) }
            try ListOutput(
                columns: [
                    ("id", { $0.id }), ("created", { ISO8601DateFormatter().string(from: $0.createdAt) }),
                    ("signs", { $0.signs ? "yes" : "no" }),
                ], rows: rows
            ).print(json: output.json)
        }
    }

    struct Retire: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop honouring a key: tokens it signed are refused within a minute (rotate first if it signs).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The key's id (see `keys list`).") var kid: String

        func run() throws {
            let ring = try global.installation().retireTokenKey(kid)
            print("Retired \(kid); \(ring.keys.count) keys verify, \(ring.current.id) signs.")
        }
    }

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign new tokens with a new key; tokens signed before keep working until they expire.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let ring = try global.installation().rotateTokenKeys()
            print("Signing with key \(ring.current.id); \(ring.keys.count) keys verify.")
        }
    }
}

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Counts of the catalog, accounts and subscriptions.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    struct Row: Encodable {
        let id: String
        let count: Int
    }

    func run() throws {
        let installation = try global.installation()
        let episodes = try installation.catalog.episodes()
        let now = installation.clock.now
        let subscriptions = try installation.billing.subscriptions()
        let rows = [
            Row(id: "shows", count: try installation.catalog.shows().count),
            Row(id: "episodes", count: episodes.count),
            Row(id: "episodes_published", count: episodes.filter(\.episode.isPublished).count),
            Row(id: "assets_ready", count: episodes.filter { $0.asset?.status == .ready }.count),
            Row(id: "assets_failed", count: episodes.filter { $0.asset?.status == .failed }.count),
            Row(id: "media_seconds", count: Int(episodes.compactMap(\.asset?.duration).reduce(0, +))),
            Row(id: "users", count: try installation.accounts.accounts().count),
            Row(id: "plans", count: try installation.billing.plans().count),
            Row(id: "subscriptions_active", count: subscriptions.filter { $0.subscription.effectiveStatus(at: now) == .active }.count),
        ]
        try ListOutput(columns: [("metric", { $0.id }), ("count", { String($0.count) })], rows: rows).print(json: output.json)
    }
}
