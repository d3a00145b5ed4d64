// `veritas users add|list|suspend`.
import ArgumentParser
import Foundation
import VeritasCore

struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Manage accounts.", subcommands: [Add.self, List.self, Suspend.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an account (a password is generated when none is given).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Username: lowercase letters, digits, underscores.") var name: String
        @Option(help: "E-mail address.") var email: String
        @Option(help: "Password (8–72 bytes).") var password: String?
        @Flag(help: "Make the account an admin.") var admin = false

        func run() throws {
            let (account, generated) = try global.installation().accounts
                .create(username: name, email: email, password: password, role: admin ? .admin : .user)
            print("Added \(account.isAdmin ? "admin" : "user") \(account.username) (id \(account.id)).")
            if let generated { print("Password: \(generated)") }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        struct Row: Encodable {
            let id, username, email, role: String
            let suspended: Bool
            let createdAt: Date

            enum CodingKeys: String, CodingKey {
                case id, username, email, role, suspended, createdAt = "created_at"
            }
        }

        func run() throws {
            let rows = try global.installation().accounts.accounts().map {
                Row(id: $0.id, username: $0.username, email: $0.email, role: $0.role.rawValue, suspended: $0.isSuspended, createdAt: $0.createdAt)
            }
            try ListOutput(
                columns: [
                    ("id", { $0.id }), ("username", { $0.username }), ("email", { $0.email }), ("role", { $0.role }),
                    ("suspended", { $0.suspended ? "yes" : "no" }),
                ], rows: rows
            ).print(json: output.json)
        }
    }

    struct Suspend: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Suspend an account: it can no longer sign in or play.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Username or id.") var name: String

        func run() throws {
            let account = try global.installation().accounts.suspend(name)
            print("Suspended \(account.username).")
        }
    }
}
