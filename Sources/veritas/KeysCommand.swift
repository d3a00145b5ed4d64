// `veritas keys rotate` and `veritas stats`.
import ArgumentParser
import Foundation
import VeritasCore

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Manage playback-token signing keys.", subcommands: [Rotate.self])

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
