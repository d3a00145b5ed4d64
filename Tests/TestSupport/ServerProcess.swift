// A `veritas serve` process on a free loopback port, for tests that talk HTTP to it.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A running server over a test's media directory; stopped with SIGTERM.
public final class ServerProcess: @unchecked Sendable {
    // Safe: `process` is only started in init and signalled in `stop`, both from the test's task.
    private let process: Process
    public let baseURL: String

    /// Starts `veritas serve --port 0` (or other arguments) and waits for its "listening on" line.
    public init(cli: VeritasCLI, arguments: [String] = ["serve", "--port", "0"], environment extra: [String: String] = [:]) throws {
        process = Process()
        process.executableURL = VeritasCLI.binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(cli.environment) { $1 }
            .merging(["VERITAS_LOG_LEVEL": "warning"]) { $1 }.merging(extra) { $1 }
        let output = Pipe()
        process.standardOutput = output
        // Kept beside the media for post-mortems (a crash's backtrace lands here).
        let log = cli.mediaDirectory.appendingPathComponent("server.log")
        if !FileManager.default.fileExists(atPath: log.path) { FileManager.default.createFile(atPath: log.path, contents: nil) }
        let logHandle = try FileHandle(forWritingTo: log)
        logHandle.seekToEndOfFile()
        process.standardError = logHandle
        try process.run()
        TestProcessCleanup.started(server: process.processIdentifier)
        var text = ""
        let deadline = Date().addingTimeInterval(300)
        while Date() < deadline, text.range(of: #"listening on http://127\.0\.0\.1:\d+"#, options: .regularExpression) == nil {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let found = text.range(of: #"listening on http://127\.0\.0\.1:\d+"#, options: .regularExpression),
            let range = text[found].range(of: #"http://127\.0\.0\.1:\d+"#, options: .regularExpression)
        else {
            process.terminate()
            throw TestFailure("the server did not start: \(text)")
        }
        baseURL = String(text[range])
        output.fileHandleForReading.readabilityHandler = { handle in _ = handle.availableData }
        self.output = text
    }

    /// The server's process id, to look at what it holds open.
    public var processIdentifier: Int32 { process.processIdentifier }

    /// What the process printed up to the "listening on" line.
    public let output: String

    /// Stops the server gracefully (SIGTERM) and returns its exit status.
    @discardableResult
    public func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        TestProcessCleanup.stopped(server: process.processIdentifier)
        return process.terminationStatus
    }

    /// Kills the server with SIGKILL, as a crash or a power cut would, and waits for it to die.
    public func crash() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        TestProcessCleanup.stopped(server: process.processIdentifier)
    }

    /// The port the server listens on.
    public var port: Int { Int(baseURL.split(separator: ":").last ?? "") ?? 0 }

    deinit { stop() }
}

/// A plain HTTP response for assertions.
public struct HTTPResult: Sendable {
    public let status: Int
    public let headers: [String: String]
    public let body: Data

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object.
    public var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }

    /// The body as a JSON array of objects.
    public var jsonArray: [[String: Any]] { (try? JSONSerialization.jsonObject(with: body)) as? [[String: Any]] ?? [] }

    public func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }
}

/// Sends one request with no caching and no cookies.
public func http(
    _ method: String = "GET", _ url: String, headers: [String: String] = [:], form: [String: String]? = nil, body: Data? = nil
) async throws -> HTTPResult {
    guard let target = URL(string: url) else { throw TestFailure("bad URL \(url)") }
    var request = URLRequest(url: target)
    request.httpMethod = method
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    if let form {
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        var components = URLComponents()
        components.queryItems = form.map { URLQueryItem(name: $0.key, value: $0.value) }
        request.httpBody = Data((components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B").utf8)
    }
    if let body { request.httpBody = body }
    let configuration = URLSessionConfiguration.ephemeral
    configuration.requestCachePolicy = .reloadIgnoringLocalAndRemoteCacheData
    configuration.httpShouldSetCookies = false
    let session = URLSession(configuration: configuration)
    defer { session.finishTasksAndInvalidate() }
    let (data, response) = try await session.data(for: request)
    guard let response = response as? HTTPURLResponse else { throw TestFailure("no HTTP response") }
    var headerFields: [String: String] = [:]
    for (key, value) in response.allHeaderFields {
        if let key = key as? String, let value = value as? String { headerFields[key] = value }
    }
    return HTTPResult(status: response.statusCode, headers: headerFields, body: data)
}
