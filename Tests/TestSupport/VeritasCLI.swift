// Runs the built `veritas` binary against a private media directory, as an operator would.
import Foundation

/// The `veritas` command with its own scratch media directory.
public struct VeritasCLI: Sendable {
    public let mediaDirectory: URL

    public init() throws {
        mediaDirectory = try Fixtures.scratchDirectory("media")
    }

    /// The repository's root (where Package.swift is).
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary built beside the test runner (or in .build/debug).
    public static let binary: URL = {
        let besideRunner = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("veritas")
        if FileManager.default.isExecutableFile(atPath: besideRunner.path) { return besideRunner }
        return packageRoot.appendingPathComponent(".build/debug/veritas")
    }()

    /// The environment every invocation gets: the shipped config and this media directory.
    public var environment: [String: String] {
        [
            "VERITAS_CONFIG": Self.packageRoot.appendingPathComponent("Config/veritas.json").path,
            "VERITAS_MEDIA_DIR": mediaDirectory.path,
        ]
    }

    /// Runs `veritas <arguments>` to completion.
    @discardableResult
    public func callAsFunction(_ arguments: String..., environment extra: [String: String] = [:]) throws -> CommandResult {
        try run([Self.binary.path] + arguments, environment: environment.merging(extra) { $1 })
    }

    /// Runs a list command with `--json` and parses its array.
    public func list(_ arguments: String...) throws -> [[String: Any]] {
        let result = try run([Self.binary.path] + arguments + ["--json"], environment: environment)
        guard result.succeeded, let rows = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] else {
            throw TestFailure("\(arguments) --json failed: \(result.stderr) \(result.stdout)")
        }
        return rows
    }

    /// Entries of a folder of the media directory (empty when it does not exist).
    public func entries(_ folder: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: mediaDirectory.appendingPathComponent(folder).path)) ?? []
    }
}
