// Runs external programs (ffmpeg, ffprobe, openssl, python3, the veritas binary) from tests.
import Foundation
import Synchronization

/// The outcome of running a program to completion.
public struct CommandResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
    public var succeeded: Bool { status == 0 }
}

/// Runs `arguments[0]` (looked up on PATH) with the rest as arguments and waits for it.
@discardableResult
public func run(_ arguments: [String], environment: [String: String]? = nil, input: Data? = nil) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    if let environment {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = input == nil ? FileHandle.nullDevice : Pipe()
    try process.run()
    if let input, let pipe = process.standardInput as? Pipe {
        pipe.fileHandleForWriting.write(input)
        try pipe.fileHandleForWriting.close()
    }
    // Read both pipes concurrently so a chatty program cannot block on a full pipe.
    let errorData = DataBox()
    let finished = DispatchSemaphore(value: 0)
    let errorHandle = errors.fileHandleForReading
    Thread {
        errorData.value.withLock { $0 = errorHandle.readDataToEndOfFile() }
        finished.signal()
    }.start()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    finished.wait()
    return CommandResult(
        status: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self),
        stderr: String(decoding: errorData.value.withLock { $0 }, as: UTF8.self))
}

/// `run`, on a thread of its own: for programs that take long (a client script that waits on
/// timeouts, say). A blocking wait on Swift's cooperative pool, which has as many threads as
/// cores, would hold up every other test's tasks meanwhile (a test's 1.5 s sleep once lasted
/// half a minute).
public func runOnOwnThread(_ arguments: [String], environment: [String: String]? = nil) async throws -> CommandResult {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try run(arguments, environment: environment) }) }.start()
    }
}

/// Runs a program and throws with its stderr when it fails.
@discardableResult
public func runChecked(_ arguments: [String], environment: [String: String]? = nil) throws -> String {
    let result = try run(arguments, environment: environment)
    guard result.succeeded else {
        throw TestFailure("\(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr.suffix(2000))")
    }
    return result.stdout
}

/// A failure in test set-up, with its reason.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

final class DataBox: Sendable {
    let value = Mutex(Data())
}
