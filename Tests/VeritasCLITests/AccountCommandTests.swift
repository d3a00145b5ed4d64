// `veritas users|plans|subscriptions|keys|stats`: every verb, its --json and its errors.
import Foundation
import TestSupport
import Testing

@Suite struct AccountCommandTests {
    let cheap = ["VERITAS_BCRYPT_COST": "4"]

    @Test func usersAddListSuspend() throws {
        let veritas = try VeritasCLI()
        let added = try veritas("users", "add", "alice", "--email", "Alice@Example.com", "--password", "secret-pass", environment: cheap)
        #expect(added.succeeded && added.stdout.contains("Added user alice"), "\(added.stderr)")
        let generated = try veritas("users", "add", "root", "--email", "root@example.com", "--admin", environment: cheap)
        #expect(generated.stdout.contains("Added admin root") && generated.stdout.contains("Password: "))
        var users = try veritas.list("users", "list")
        #expect(users.map { $0["username"] as? String } == ["alice", "root"])
        #expect(users[0]["email"] as? String == "alice@example.com" && users[1]["role"] as? String == "admin")
        #expect(users.allSatisfy { $0["id"] is String && $0["suspended"] as? Bool == false })
        #expect(try veritas("users", "suspend", "alice").succeeded)
        users = try veritas.list("users", "list")
        #expect(users[0]["suspended"] as? Bool == true)
        for (arguments, message) in [
            (["users", "add", "alice", "--email", "x@example.com", "--password", "secret-pass"], "exists"),
            (["users", "add", "Bad Name", "--email", "b@example.com", "--password", "secret-pass"], "username"),
            (["users", "add", "bob", "--email", "nope", "--password", "secret-pass"], "e-mail"),
            (["users", "add", "bob", "--email", "bob@example.com", "--password", "short"], "password"),
            (["users", "suspend", "nobody"], "no user"),
        ] {
            let result = try run([VeritasCLI.binary.path] + arguments, environment: veritas.environment.merging(cheap) { $1 })
            #expect(result.status != 0 && result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }

    @Test func plansAndSubscriptionsLifecycle() throws {
        let veritas = try VeritasCLI()
        try veritas("users", "add", "viewer", "--email", "viewer@example.com", "--password", "secret-pass", environment: cheap)
        #expect(try veritas("plans", "add", "premium", "--name", "Premium", "--price", "9.99").succeeded)
        #expect(try veritas("plans", "add", "annual", "--name", "Annual", "--price", "99", "--currency", "eur", "--period", "year").succeeded)
        let plans = try veritas.list("plans", "list")
        #expect(plans.map { $0["id"] as? String } == ["premium", "annual"])
        #expect(plans[1]["price"] as? String == "99.00" && plans[1]["currency"] as? String == "EUR" && plans[1]["period"] as? String == "year")
        #expect(try veritas("shows", "add", "paid", "--title", "Paid", "--plan", "premium", "--plan", "annual").succeeded)
        #expect(try veritas.list("shows", "list").first?["access"] as? String == "annual,premium")

        #expect(try veritas("subscriptions", "grant", "viewer", "--plan", "premium", "--until", "2099-12-31").succeeded)
        var rows = try veritas.list("subscriptions", "list")
        #expect(rows.count == 1 && rows[0]["status"] as? String == "active" && rows[0]["user"] as? String == "viewer")
        #expect((rows[0]["current_period_end"] as? String)?.hasPrefix("2100-01-01") == true, "through the end of that day")
        #expect(try veritas("subscriptions", "extend", "viewer", "--days", "1").succeeded)
        rows = try veritas.list("subscriptions", "list", "--plan", "premium")
        #expect((rows[0]["current_period_end"] as? String)?.hasPrefix("2100-01-02") == true)
        #expect(try veritas("subscriptions", "grant", "viewer", "--plan", "annual", "--until", "2020-01-01T00:00:00Z").succeeded)
        rows = try veritas.list("subscriptions", "list", "--plan", "annual")
        #expect(rows[0]["status"] as? String == "expired", "past dates are accepted")
        #expect(try veritas("subscriptions", "revoke", "viewer", "--plan", "premium").succeeded)
        rows = try veritas.list("subscriptions", "list", "--plan", "premium")
        #expect(rows[0]["status"] as? String == "canceled")

        for (arguments, message) in [
            (["plans", "add", "premium", "--name", "Again", "--price", "1"], "exists"),
            (["plans", "add", "cheap", "--name", "Cheap", "--price", "1.999"], "price"),
            (["plans", "add", "odd", "--name", "Odd", "--price", "1", "--currency", "dollars"], "currency"),
            (["shows", "add", "x", "--title", "X", "--plan", "missing"], "no plan"),
            (["shows", "add", "y", "--title", "Y", "--plan", "premium", "--free"], "either free"),
            (["subscriptions", "grant", "viewer", "--plan", "missing"], "no plan"),
            (["subscriptions", "grant", "nobody", "--plan", "premium"], "no user"),
            (["subscriptions", "grant", "viewer", "--plan", "premium", "--until", "tomorrow"], "ISO 8601"),
            (["subscriptions", "grant", "viewer", "--plan", "premium", "--days", "3", "--until", "2030-01-01"], "not both"),
            (["subscriptions", "extend", "viewer", "--days", "0"], "positive"),
            (["subscriptions", "revoke", "viewer", "--plan", "premium"], "no subscription"),
            (["subscriptions", "list", "--plan", "missing"], "no plan"),
        ] {
            let result = try run([VeritasCLI.binary.path] + arguments, environment: veritas.environment)
            #expect(result.status != 0 && result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(result.stderr.trimmingCharacters(in: .newlines).split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
        }
    }

    @Test func keysRotateAndStats() throws {
        let veritas = try VeritasCLI()
        let first = try veritas("keys", "rotate")
        #expect(first.succeeded && first.stdout.contains("Signing with key k2"), "\(first.stdout) \(first.stderr)")
        #expect(try veritas("keys", "rotate").stdout.contains("k3"))
        let file = veritas.mediaDirectory.appendingPathComponent("secrets/token-keys.json")
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let pinned = try veritas("keys", "rotate", environment: ["VERITAS_TOKEN_KEY": Data(repeating: 1, count: 32).base64EncodedString()])
        #expect(pinned.status != 0 && pinned.stderr.contains("VERITAS_TOKEN_KEY"))

        try veritas("shows", "add", "s", "--title", "S", "--free")
        let stats = try veritas.list("stats")
        let counts = Dictionary(uniqueKeysWithValues: stats.compactMap { row in (row["id"] as? String).map { ($0, row["count"] as? Int ?? -1) } })
        #expect(counts["shows"] == 1 && counts["episodes"] == 0 && counts["users"] == 0)
        #expect(try veritas("stats").stdout.contains("subscriptions_active"))
    }
}
