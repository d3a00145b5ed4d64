// `veritas jobs list|retry`: the background job queue as the operator sees it.
import ArgumentParser
import Foundation
import VeritasCore

struct JobsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs", abstract: "See and retry background jobs (ingests of uploads).", subcommands: [List.self, Retry.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List jobs, newest first.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        struct Row: Encodable {
            let id, kind, state, assetID, episodeID: String
            let attempts, maxAttempts: Int
            let lastError: String?
            let runAt, createdAt, updatedAt: Date
            let finishedAt: Date?

            enum CodingKeys: String, CodingKey {
                case id, kind, state, attempts
                case assetID = "asset_id", episodeID = "episode_id", maxAttempts = "max_attempts", lastError = "last_error"
                case runAt = "run_at", createdAt = "created_at", updatedAt = "updated_at", finishedAt = "finished_at"
            }
        }

        func run() throws {
            let rows = try global.installation().store.jobs().map { job in
                Row(
                    id: job.id, kind: job.kind.rawValue, state: job.state.rawValue, assetID: job.assetID, episodeID: job.episodeID,
                    attempts: job.attempts, maxAttempts: job.maxAttempts, lastError: job.lastError, runAt: job.runAt,
                    createdAt: job.createdAt, updatedAt: job.updatedAt, finishedAt: job.finishedAt)
            }
            try ListOutput(
                columns: [
                    ("id", { $0.id }), ("kind", { $0.kind }), ("state", { $0.state }), ("asset", { $0.assetID }),
                    ("episode", { $0.episodeID }), ("attempts", { "\($0.attempts)/\($0.maxAttempts)" }),
                    ("error", { $0.lastError ?? "-" }),
                ], rows: rows
            ).print(json: output.json)
        }
    }

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Queue a failed job again; a running server picks it up.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Job id.") var id: String

        func run() throws {
            let installation = try global.installation()
            let job = try installation.store.retryJob(id: id, now: installation.clock.now)
            print("Queued job \(job.id) again (asset \(job.assetID)).")
        }
    }
}
