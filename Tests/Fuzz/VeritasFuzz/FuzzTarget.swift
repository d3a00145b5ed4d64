// One fuzz target: a parser that reads raw input, and the properties its answers must keep.
import Foundation
import Synchronization

/// A named parser under test; `run` feeds it one input and checks its answer, aborting (which
/// libFuzzer records as a crash, input saved) when a property fails.
struct FuzzTarget: Sendable {
    let name: String
    /// What is fed and what is checked, for `--list`.
    let summary: String
    let run: @Sendable (FuzzInput) -> Void
}

/// Every target, by the name `run.sh`, the corpus folders and the command line use.
enum FuzzTargets {
    #if DEBUG
    static let all: [FuzzTarget] = [
        TokenFuzz.target, StreamPathFuzz.target, StatusTextFuzz.target, TusHeadersFuzz.target,
        ByteRangeFuzz.target, FormFuzz.target,
    ]
    #else
    /// The targets reach internal parsers through `@testable import`, which needs a debug build.
    static let all: [FuzzTarget] = []
    #endif

    static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}

/// The input being replayed, named in a failure's message.
let currentInput = Mutex<String>("")

/// Stops the process with `message` when `condition` is false: a property of the target failed.
func require(_ condition: Bool, _ message: @autoclosure () -> String, line: UInt = #line) {
    guard !condition else { return }
    let input = currentInput.withLock { $0 }
    FileHandle.standardError.write(Data("property failed (line \(line))\(input.isEmpty ? "" : " on \(input)"): \(message())\n".utf8))
    abort()
}
