// `veritas subscriptions grant|extend|revoke|list`.
import ArgumentParser
import Foundation
import VeritasCore

struct SubscriptionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subscriptions", abstract: "Grant, extend, revoke and list subscriptions.",
        subcommands: [Grant.self, Extend.self, Revoke.self, List.self])

    struct Grant: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give a user a plan, for N days or until a date.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Username or id.") var name: String
        @Option(help: "Plan id.") var plan: String
        @Option(help: "Days from now (default: one billing period).") var days: Int?
        @Option(help: "End date, ISO 8601 (2026-12-31 means through that day, UTC).") var until: String?

        func validate() throws {
            if days != nil && until != nil { throw ValidationError("give --days or --until, not both") }
        }

        func run() throws {
            let installation = try global.installation()
            let account = try installation.accounts.account(name)
            let end = try until.map(parseDate)
            let subscription = try installation.billing.grant(account: account, planID: plan, days: days, until: end)
            print("\(account.username) has \(plan) until \(ISO8601DateFormatter().string(from: subscription.currentPeriodEnd)) (\(subscription.status.rawValue)).")
        }
    }

    struct Extend: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add days to a user's subscriptions.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Username or id.") var name: String
        @Option(help: "Days to add.") var days: Int

        func run() throws {
            let installation = try global.installation()
            let account = try installation.accounts.account(name)
            for subscription in try installation.billing.extend(account: account, days: days) {
                print("\(account.username) has \(subscription.planID) until \(ISO8601DateFormatter().string(from: subscription.currentPeriodEnd)).")
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a user's subscriptions (playback stops within a minute).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Username or id.") var name: String
        @Option(help: "Only this plan.") var plan: String?

        func run() throws {
            let installation = try global.installation()
            let account = try installation.accounts.account(name)
            let revoked = try installation.billing.revoke(account: account, planID: plan)
            print("Revoked \(revoked.map(\.planID).joined(separator: ", ")) for \(account.username).")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List subscriptions.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Only this plan.") var plan: String?

        struct Row: Encodable {
            let id, user, plan, status: String
            let currentPeriodEnd: Date

            enum CodingKeys: String, CodingKey {
                case id, user, plan, status, currentPeriodEnd = "current_period_end"
            }
        }

        func run() throws {
            let installation = try global.installation()
            let now = installation.clock.now
            let rows = try installation.billing.subscriptions(planID: plan).map {
                Row(id: $0.subscription.id, user: $0.account.username, plan: $0.plan.id,
                    status: $0.subscription.effectiveStatus(at: now).rawValue, currentPeriodEnd: $0.subscription.currentPeriodEnd)
            }
            let format = ISO8601DateFormatter()
            try ListOutput(
                columns: [("id", { $0.id }), ("user", { $0.user }), ("plan", { $0.plan }), ("status", { $0.status }),
                          ("period end", { format.string(from: $0.currentPeriodEnd) })],
                rows: rows
            ).print(json: output.json)
        }
    }
}

/// Parses `2026-12-31` (through the end of that day, UTC) or a full ISO 8601 time.
func parseDate(_ text: String) throws -> Date {
    let full = ISO8601DateFormatter()
    if let date = full.date(from: text) { return date }
    let day = ISO8601DateFormatter()
    day.formatOptions = [.withFullDate]
    if let date = day.date(from: text) { return date.addingTimeInterval(86_400) }
    throw ValidationError("'\(text)' is not an ISO 8601 date (2026-12-31 or 2026-12-31T12:00:00Z)")
}
