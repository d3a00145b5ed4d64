// `veritas serve`: the HTTP server.
import ArgumentParser
import Foundation
import VeritasCore
import VeritasServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the HTTP server.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Address to listen on (default from config: 127.0.0.1).") var host: String?
    @Option(help: "Port (default from config: 8080; 0 picks a free one).") var port: Int?

    func run() async throws {
        var config = try VeritasConfig.load(path: global.config)
        if let host { config.host = host }
        if let port { config.port = port }
        let installation = try Installation(config: config)
        try await serve(installation)
    }
}

/// Runs the server for `installation`, printing where it listens.
func serve(
    _ installation: Installation,
    // Written straight to the file handle: a buffered line would never reach a pipe while serving.
    banner: @escaping @Sendable (String) -> Void = { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) }
) async throws {
    let config = installation.config
    let registry = VeritasServer.bootstrap(logLevel: config.logLevel)
    try await VeritasServer(installation: installation, registry: registry).run(host: config.host, port: config.port) { port in
        banner("Veritas is listening on http://\(config.host):\(port)")
    }
}
