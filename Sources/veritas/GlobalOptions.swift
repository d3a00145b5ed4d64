// Options every command takes, and opening the installation they point at.
import ArgumentParser
import VeritasCore

/// `--config PATH`, on every command.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (default: $VERITAS_CONFIG, then Config/veritas.json).")
    var config: String?

    /// The configured installation: media directory prepared, database open, secrets loaded.
    func installation() throws -> Installation {
        try Installation(config: VeritasConfig.load(path: config))
    }
}

/// `--json` on list commands.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print one JSON array of objects instead of a table.")
    var json = false
}
