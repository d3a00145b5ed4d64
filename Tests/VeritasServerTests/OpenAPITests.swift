// The API's own OpenAPI 3.1 document: valid as openapi-spec-validator judges it, and held to by
// schemathesis throwing generated requests at every operation of a live server.
import Foundation
import TestSupport
import Testing

/// An installation of its own for schemathesis, whose generated posts, follows, deletes and
/// uploads must not disturb the tests that share the seed: an admin, a viewer, a plan, a free
/// show with a podcast feed, a paid show and a podcast, each with a published episode.
private struct GeneratedRequestsSite {
    let cli: VeritasCLI
    let server: ServerProcess
    static let environment = ["VERITAS_BCRYPT_COST": "4", "VERITAS_LADDER": "360:700000"]
    /// Every scope, so that each route is reached past its scope check.
    static let scopes = "read write follow push admin:read admin:write"

    init() throws {
        cli = try VeritasCLI()
        let clip = try Fixtures.video(width: 640, height: 360, seconds: 3)
        let talk = try Fixtures.audio(seconds: 3)
        for arguments in [
            ["users", "add", "root", "--email", "root@example.com", "--password", Seed.password, "--admin"],
            ["users", "add", "viewer", "--email", "viewer@example.com", "--password", Seed.password],
            ["plans", "add", "premium", "--name", "Premium", "--price", "9.99"],
            ["shows", "add", "open", "--title", "Open", "--free", "--audio-feed"], ["shows", "publish", "open"],
            ["shows", "add", "paid", "--title", "Paid", "--plan", "premium"], ["shows", "publish", "paid"],
            ["shows", "add", "pod", "--title", "Pod", "--kind", "podcast", "--free"], ["shows", "publish", "pod"],
            ["ingest", clip.path, "--show", "open", "--title", "Clip", "--publish"],
            ["ingest", clip.path, "--show", "paid", "--title", "Paid", "--publish"],
            ["ingest", talk.path, "--show", "pod", "--title", "Talk", "--publish"],
            ["subscriptions", "grant", "viewer", "--plan", "premium", "--days", "30"],
        ] {
            let result = try run([VeritasCLI.binary.path] + arguments, environment: cli.environment.merging(Self.environment) { $1 })
            guard result.succeeded else { throw TestFailure("\(arguments): \(result.stderr)") }
        }
        server = try ServerProcess(cli: cli, environment: Self.environment)
    }

    var base: String { server.baseURL }

    /// A bearer token of the admin holding every scope, from a password grant.
    func adminToken() async throws -> String {
        let app = try await http("POST", base + "/api/v1/apps", form: ["client_name": "schemathesis", "scopes": Self.scopes])
        let result = try await http("POST", base + "/oauth/token", form: [
            "grant_type": "password", "client_id": app.json["client_id"] as? String ?? "",
            "client_secret": app.json["client_secret"] as? String ?? "", "username": "root", "password": Seed.password,
            "scope": Self.scopes,
        ])
        guard let token = result.json["access_token"] as? String else { throw TestFailure("no admin token: \(result.text)") }
        return token
    }
}

@Suite struct OpenAPITests {
    static let clients = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Clients")

    @Test func theServedDocumentIsValidOpenAPI31AndNamesThisServer() async throws {
        let seed = try await SeedStore.shared.get()
        let answer = try await http("GET", seed.base + "/api/openapi.json")
        #expect(answer.status == 200 && answer.header("Content-Type")?.hasPrefix("application/json") == true)
        let result = try run(["python3", Self.clients.appendingPathComponent("openapi_validate.py").path, seed.base])
        #expect(result.succeeded && result.stdout.hasSuffix("ok\n"), "\(result.stdout)\n\(result.stderr)")
    }

    /// Examples per operation: about 5,700 requests, 80 s on two cores shared with builds.
    static let examplesPerOperation = 80

    @Test func generatedRequestsToEveryOperationGetNoServerErrorAndAnswerAsDocumented() async throws {
        let site = try GeneratedRequestsSite()
        defer { site.server.stop() }
        let token = try await site.adminToken()
        let reports = VeritasCLI.packageRoot.appendingPathComponent(".build/schemathesis")
        let result = try run([
            "python3", Self.clients.appendingPathComponent("schemathesis_run.py").path, site.base, token, reports.path,
            String(Self.examplesPerOperation),
        ])
        #expect(result.succeeded && result.stdout.hasSuffix("ok\n"), "\(result.stdout.suffix(20_000))\n\(result.stderr.suffix(4000))")
        // Whatever it sent, the server is still there.
        let health = try await http("GET", site.base + "/health")
        #expect(health.status == 200 && health.json["status"] as? String == "ok")
    }
}
