// One seeded installation and server shared by the server tests: plans, shows, episodes, users.
import Foundation
import TestSupport
import Testing

/// What the seed created, and the running server over it.
struct Seed: Sendable {
    let cli: VeritasCLI
    let server: ServerProcess
    /// Episode ids: a paid (premium) one, a free one, an unpublished one.
    let paidEpisode: String
    let freeEpisode: String
    let unpublishedEpisode: String
    let paidAsset: String
    let freeAsset: String
    /// Audio episodes of a free podcast (`daily-pod`) and a premium one (`insider`).
    let freePodcastEpisode: String
    let paidPodcastEpisode: String
    static let password = "correct-horse-1"

    var base: String { server.baseURL }

    /// A bearer token for `user` from the password grant.
    func token(_ user: String) async throws -> String {
        try await passwordGrant(base: base, user: user)
    }

    /// The playback answer for `user` on `episode`.
    func playback(_ user: String, _ episode: String) async throws -> HTTPResult {
        try await http("POST", base + "/api/v1/episodes/\(episode)/playback", headers: ["Authorization": "Bearer \(try await token(user))"])
    }

    /// The hls_url for `user` on `episode` (which must be allowed).
    func hlsURL(_ user: String, _ episode: String) async throws -> String {
        let answer = try await playback(user, episode)
        guard let url = answer.json["hls_url"] as? String else { throw TestFailure("no hls_url: \(answer.status) \(answer.text)") }
        return url
    }
}

/// Every scope a client can ask for; what an admin-only route needs is checked against the role.
let allScopes = "read write follow push admin:read admin:write"

/// A bearer token for `user` (whose password is `Seed.password`) from the server at `base`, by a
/// new app's password grant, with `scopes`.
func passwordGrant(base: String, user: String, scopes: String = allScopes) async throws -> String {
    let app = try await http(
        "POST", base + "/api/v1/apps", form: ["client_name": "tests", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": scopes])
    let result = try await http("POST", base + "/oauth/token", form: [
        "grant_type": "password", "client_id": app.json["client_id"] as? String ?? "", "scope": scopes,
        "client_secret": app.json["client_secret"] as? String ?? "", "username": user, "password": Seed.password,
    ])
    guard let token = result.json["access_token"] as? String else { throw TestFailure("no token for \(user): \(result.text)") }
    return token
}

/// Builds the seed once per test process.
actor SeedStore {
    static let shared = SeedStore()
    private var seed: Seed?

    func get() async throws -> Seed {
        if let seed { return seed }
        let cli = try VeritasCLI()
        func must(_ arguments: String...) throws -> String {
            let result = try run([VeritasCLI.binary.path] + arguments, environment: cli.environment.merging(["VERITAS_BCRYPT_COST": "4"]) { $1 })
            guard result.succeeded else { throw TestFailure("\(arguments): \(result.stderr)") }
            return result.stdout
        }
        _ = try must("plans", "add", "premium", "--name", "Premium", "--price", "9.99")
        _ = try must("plans", "add", "basic", "--name", "Basic", "--price", "4.99")
        _ = try must("shows", "add", "tonight", "--title", "Tonight", "--plan", "premium")
        _ = try must("shows", "add", "open-air", "--title", "Open Air", "--free", "--audio-feed")
        _ = try must("shows", "publish", "tonight")
        _ = try must("shows", "publish", "open-air")
        let clip = try Fixtures.video(width: 640, height: 360, seconds: 7)
        _ = try must("ingest", clip.path, "--show", "tonight", "--title", "Paid", "--publish")
        _ = try must("ingest", clip.path, "--show", "open-air", "--title", "Free", "--publish")
        _ = try must("ingest", clip.path, "--show", "tonight", "--title", "Draft")
        _ = try must("shows", "add", "daily-pod", "--title", "Daily & <Pod>", "--kind", "podcast", "--free")
        _ = try must("shows", "add", "insider", "--title", "Insider", "--kind", "podcast", "--plan", "premium")
        _ = try must("shows", "publish", "daily-pod")
        _ = try must("shows", "publish", "insider")
        let talk = try Fixtures.audio(seconds: 5)
        // The free podcast's episode comes from an M4A with chapter marks.
        let marks = try Fixtures.scratchDirectory("chapters").appendingPathComponent("chapters.txt")
        try ";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=2000\ntitle=Hello & welcome\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=2000\nEND=5000\ntitle=The news\n"
            .write(to: marks, atomically: true, encoding: .utf8)
        let chaptered = try Fixtures.generated(
            "talk-with-chapters.m4a",
            ["-f", "lavfi", "-i", "sine=frequency=220:duration=5", "-i", marks.path, "-map_metadata", "1", "-map_chapters", "1", "-c:a", "aac"])
        _ = try must("ingest", chaptered.path, "--show", "daily-pod", "--title", "Pod \"one\" & more", "--season", "2", "--episode", "3", "--publish")
        _ = try must("ingest", talk.path, "--show", "insider", "--title", "Inside", "--publish")
        let episodes = try cli.list("episodes", "list")
        func episode(_ title: String) throws -> [String: Any] {
            guard let row = episodes.first(where: { $0["title"] as? String == title }) else { throw TestFailure("no \(title)") }
            return row
        }
        for (user, extra) in [("admin", ["--admin"]), ("alice", []), ("bob", []), ("carol", []), ("dave", []), ("erin", []), ("frank", []), ("gina", []), ("hank", [])] {
            _ = try run([VeritasCLI.binary.path, "users", "add", user, "--email", "\(user)@example.com", "--password", Seed.password] + extra,
                        environment: cli.environment.merging(["VERITAS_BCRYPT_COST": "4"]) { $1 })
        }
        _ = try must("subscriptions", "grant", "alice", "--plan", "premium", "--days", "30")
        _ = try must("subscriptions", "grant", "carol", "--plan", "basic", "--days", "30")
        _ = try must("subscriptions", "grant", "dave", "--plan", "premium", "--days", "30")
        _ = try must("subscriptions", "grant", "erin", "--plan", "premium", "--days", "30")
        _ = try must("subscriptions", "grant", "hank", "--plan", "premium", "--days", "30")
        _ = try must("subscriptions", "grant", "frank", "--plan", "premium", "--until", "2020-01-01")
        // Loopback is a trusted proxy, so tests that sign up or fail logins on purpose can stand
        // for addresses of their own (`X-Forwarded-For`) instead of using up 127.0.0.1's limits.
        let server = try ServerProcess(
            cli: cli, environment: ["VERITAS_ENTITLEMENT_CACHE_SECONDS": "1", "VERITAS_TRUSTED_PROXIES": "127.0.0.0/8"])
        let made = Seed(
            cli: cli, server: server, paidEpisode: try episode("Paid")["id"] as? String ?? "",
            freeEpisode: try episode("Free")["id"] as? String ?? "", unpublishedEpisode: try episode("Draft")["id"] as? String ?? "",
            paidAsset: try episode("Paid")["asset_id"] as? String ?? "", freeAsset: try episode("Free")["asset_id"] as? String ?? "",
            freePodcastEpisode: try episode("Pod \"one\" & more")["id"] as? String ?? "", paidPodcastEpisode: try episode("Inside")["id"] as? String ?? "")
        seed = made
        return made
    }
}
