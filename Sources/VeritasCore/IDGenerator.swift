// Time-ordered string ids (Mastodon-style snowflakes) for every entity.
import Foundation
import Synchronization

/// Makes ids that sort by creation time: milliseconds since 1970 in the high bits, a per-process
/// sequence in the low 16, written as a decimal string as Mastodon's API does.
public final class IDGenerator: Sendable {
    private let state = Mutex<(millis: UInt64, sequence: UInt64)>((0, 0))

    public init() {}

    /// A new id.
    public func next(now: Date = Date()) -> String {
        String(nextValue(now: now))
    }

    /// A new id as the number it spells (statuses and other timeline rows keep it as an integer
    /// key, so ranges of ids are ranges of time).
    public func nextValue(now: Date = Date()) -> Int64 {
        let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        let (stamp, sequence) = state.withLock { state -> (UInt64, UInt64) in
            if millis > state.millis {
                // A random start keeps ids from two processes in the same millisecond apart.
                state = (millis, UInt64.random(in: 0..<0x8000))
            } else {
                state.sequence += 1
                if state.sequence > 0xffff { state = (state.millis + 1, 0) }
            }
            return state
        }
        return Int64(stamp << 16 | sequence)
    }

    /// Whether `text` could be an id this generator made (decimal digits, at most 19): checked
    /// before an id from a URL reaches a query or a file name.
    public static func isWellFormed(_ text: String) -> Bool {
        (1...19).contains(text.utf8.count) && text.utf8.allSatisfy { (0x30...0x39).contains($0) }
    }

    /// The process-wide generator.
    public static let shared = IDGenerator()
}
