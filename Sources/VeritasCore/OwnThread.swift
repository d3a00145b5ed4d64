// Blocking work (a transcode, an fsync) on a thread of its own, awaited from async code.
import Foundation

/// Runs blocking calls off Swift's cooperative pool, whose few threads must never wait on a
/// disk or spend minutes in an encoder.
public enum OwnThread {
    /// Runs `body` on a new thread and returns (or throws) what it did.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
