// `veritas demo` seeds a sample show, a podcast, a plan and demo accounts, once; then serves.
import Foundation
import TestSupport
import Testing

@Suite struct DemoCommandTests {
    @Test func demoSeedsContentAndAccountsOnceThenServes() async throws {
        let veritas = try VeritasCLI()
        let first = try veritas("demo", "--no-serve")
        #expect(first.succeeded, "\(first.stderr)")
        #expect(first.stdout.contains("Veritas Tonight") && first.stdout.contains("The Morning Brief"))
        #expect(first.stdout.contains("sam@veritas.example") && first.stdout.contains("veritas-subscriber"))
        let shows = try veritas.list("shows", "list")
        #expect(shows.count == 2 && shows.allSatisfy { $0["published"] as? Bool == true })
        #expect(Set(shows.compactMap { $0["access"] as? String }) == ["premium", "free"])
        let episodes = try veritas.list("episodes", "list")
        #expect(episodes.count == 2)
        #expect(episodes.allSatisfy { $0["status"] as? String == "ready" && $0["published"] as? Bool == true })
        #expect(Set(try veritas.list("users", "list").compactMap { $0["username"] as? String }) == ["admin", "sam", "vic"])
        let subscriptions = try veritas.list("subscriptions", "list")
        #expect(subscriptions.map { $0["user"] as? String } == ["sam"] && subscriptions.first?["status"] as? String == "active")

        // A second run changes nothing and then serves the same catalog.
        let server = try ServerProcess(cli: veritas, arguments: ["demo", "--port", "0"])
        defer { server.stop() }
        #expect(!server.output.contains("Ingested"))
        // Printed before the server starts, even into a pipe.
        #expect(server.output.contains("sam@veritas.example") && server.output.contains("veritas-subscriber"), "\(server.output)")
        #expect(try veritas.list("episodes", "list").count == 2)
        #expect(try await http("GET", server.baseURL + "/health").status == 200)
        let catalog = try await http("GET", server.baseURL + "/api/v1/shows")
        #expect(catalog.text.contains("veritas-tonight"))
    }
}
