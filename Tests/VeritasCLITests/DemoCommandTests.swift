// `veritas demo` seeds a sample show and podcast from generated media, once.
import Foundation
import TestSupport
import Testing

@Suite struct DemoCommandTests {
    @Test func demoSeedsAPublishedShowAndPodcastAndIsIdempotent() throws {
        let veritas = try VeritasCLI()
        let first = try veritas("demo")
        #expect(first.succeeded, "\(first.stderr)")
        #expect(first.stdout.contains("Veritas Tonight") && first.stdout.contains("The Morning Brief"))
        let shows = try veritas.list("shows", "list")
        #expect(shows.count == 2 && shows.allSatisfy { $0["published"] as? Bool == true })
        #expect(Set(shows.compactMap { $0["kind"] as? String }) == ["series", "podcast"])
        let episodes = try veritas.list("episodes", "list")
        #expect(episodes.count == 2)
        #expect(episodes.allSatisfy { $0["status"] as? String == "ready" && $0["published"] as? Bool == true })

        let second = try veritas("demo")
        #expect(second.succeeded)
        #expect(!second.stdout.contains("Ingested"))
        #expect(try veritas.list("episodes", "list").count == 2)
    }
}
