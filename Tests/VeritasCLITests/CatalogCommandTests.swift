// `veritas shows …` and `veritas episodes …`: tables, --json, errors on stderr with a non-zero exit.
import Foundation
import TestSupport
import Testing

@Suite struct CatalogCommandTests {
    @Test func showsAddListPublish() throws {
        let veritas = try VeritasCLI()
        let added = try veritas("shows", "add", "evening-news", "--title", "Evening News", "--kind", "series", "--free")
        #expect(added.succeeded, "\(added.stderr)")
        #expect(try veritas("shows", "add", "deep-dive", "--title", "Deep Dive", "--kind", "podcast").succeeded)
        let table = try veritas("shows", "list")
        #expect(table.stdout.contains("ID") && table.stdout.contains("evening-news") && table.stdout.contains("Evening News"))

        var rows = try veritas.list("shows", "list")
        #expect(rows.map { $0["slug"] as? String } == ["evening-news", "deep-dive"])
        #expect(rows.allSatisfy { ($0["id"] as? String).map { !$0.isEmpty } == true })
        #expect(rows[0]["access"] as? String == "free" && rows[1]["access"] as? String == "none")
        #expect(rows[1]["kind"] as? String == "podcast")
        #expect(rows.allSatisfy { $0["published"] as? Bool == false })

        #expect(try veritas("shows", "publish", "deep-dive").succeeded)
        rows = try veritas.list("shows", "list")
        #expect(rows[1]["published"] as? Bool == true)
    }

    @Test func errorsAreOneLineOnStderrWithNonZeroExit() throws {
        let veritas = try VeritasCLI()
        try veritas("shows", "add", "taken", "--title", "Taken")
        let cases: [(arguments: [String], message: String)] = [
            (["shows", "add", "taken", "--title", "Again"], "already exists"),
            (["shows", "add", "Bad Slug", "--title", "T"], "slug"),
            (["shows", "add", "no-title", "--title", "  "], "title"),
            (["shows", "add", "k", "--title", "T", "--kind", "opera"], "opera"),
            (["shows", "publish", "missing"], "no show"),
            (["episodes", "publish", "123"], "no episode"),
            (["episodes", "list", "--show", "missing"], "no show"),
            (["shows", "list", "--config", "/nonexistent.json"], "does not exist"),
        ]
        for (arguments, message) in cases {
            let result = try run([VeritasCLI.binary.path] + arguments, environment: veritas.environment)
            #expect(result.status != 0, "\(arguments) succeeded")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(result.stderr.trimmingCharacters(in: .newlines).split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
        }
    }

    @Test func unusableMediaDirectoryIsAClearError() throws {
        let veritas = try VeritasCLI()
        let blocker = veritas.mediaDirectory.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: blocker)
        let result = try veritas("shows", "list", environment: ["VERITAS_MEDIA_DIR": blocker.appendingPathComponent("media").path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("cannot create"), "\(result.stderr)")
    }
}
