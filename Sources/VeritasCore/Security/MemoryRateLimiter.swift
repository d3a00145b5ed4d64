// Rate limits of one process: the times of recent events per key, in memory, bounded and swept.
import Foundation
import Synchronization

/// Rate limits of one server: for each (limit, key), the times of the events within the last
/// period (a sliding window), so "at most N in T" holds exactly for every span of T, as SPEC
/// §13 words the limits. A token bucket would let a patient client through early: ten failed
/// logins spread over a minute would have earned an eleventh.
///
/// Memory is bounded: a key stores at most its limit's capacity of times, expired times go on
/// every use, and when `capacity` keys are held the table is swept of keys with nothing left
/// in their window, then of the least recently used half. Dropping a key can only let a client
/// through early, never refuse one wrongly.
public final class MemoryRateLimiter: RateLimiter {
    private struct Window {
        /// Event times, oldest first, none older than `period` before the last use.
        var events: [Date]
        var used: Date
        let period: TimeInterval
    }

    private let windows = Mutex<[String: Window]>([:])
    /// False when `VERITAS_RATE_LIMITS=off`: every attempt is allowed.
    public let enabled: Bool
    public let capacity: Int

    public init(enabled: Bool = true, capacity: Int = 100_000) {
        self.enabled = enabled
        self.capacity = capacity
    }

    public func take(_ limit: RateLimit, key: String, now: Date) -> RateDecision {
        decide(limit, key: key, now: now, taking: true)
    }

    public func check(_ limit: RateLimit, key: String, now: Date) -> RateDecision {
        decide(limit, key: key, now: now, taking: false)
    }

    public func reset(_ limit: RateLimit, key: String) {
        _ = windows.withLock { $0.removeValue(forKey: limit.name + "\u{0}" + key) }
    }

    /// How many keys are held (for tests of the bound).
    public var count: Int { windows.withLock { $0.count } }

    private func decide(_ limit: RateLimit, key: String, now: Date, taking: Bool) -> RateDecision {
        guard enabled else { return RateDecision(allowed: true, limit: limit.capacity, remaining: limit.capacity, reset: now, retryAfter: 0) }
        let name = limit.name + "\u{0}" + key
        return windows.withLock { windows in
            var window = windows[name] ?? Window(events: [], used: now, period: limit.period)
            if let live = window.events.firstIndex(where: { now.timeIntervalSince($0) < limit.period }) {
                window.events.removeFirst(live)
            } else {
                window.events.removeAll()
            }
            window.used = now
            let allowed = window.events.count < limit.capacity
            if allowed, taking { window.events.append(now) }
            if taking || windows[name] != nil {
                if windows[name] == nil, windows.count >= self.capacity { Self.sweep(&windows, now: now, keeping: self.capacity / 2) }
                windows[name] = window
            }
            let oldest = window.events.first ?? now, newest = window.events.last ?? now
            return RateDecision(
                allowed: allowed, limit: limit.capacity, remaining: max(0, limit.capacity - window.events.count),
                reset: newest.addingTimeInterval(window.events.isEmpty ? 0 : limit.period),
                retryAfter: allowed ? 0 : max(1, Int((limit.period - now.timeIntervalSince(oldest)).rounded(.up))))
        }
    }

    /// Drops keys whose window holds nothing any more, then the least recently used ones until
    /// at most `keeping` are left.
    private static func sweep(_ windows: inout [String: Window], now: Date, keeping: Int) {
        windows = windows.filter { entry in entry.value.events.last.map { now.timeIntervalSince($0) < entry.value.period } ?? false }
        guard windows.count > keeping else { return }
        let kept = windows.sorted { $0.value.used > $1.value.used }.prefix(keeping)
        windows = Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.value) })
    }
}
