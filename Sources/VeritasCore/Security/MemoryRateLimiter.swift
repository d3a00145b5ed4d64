// Token buckets in this process's memory, bounded and swept.
import Foundation
import Synchronization

/// Rate limits of one server: a token bucket per (limit, key), kept in memory.
///
/// Memory is bounded: a bucket that has refilled is the same as no bucket and is dropped when
/// the table is swept (whenever it reaches `capacity` entries); if every bucket is still in use
/// then, the least recently used half goes, which can only let a client through early, never
/// refuse one wrongly.
public final class MemoryRateLimiter: RateLimiter {
    private struct Bucket {
        var tokens: Double
        var updated: Date
        /// The limit's period: after it, the bucket is full whatever it held.
        let period: TimeInterval
    }

    private let buckets = Mutex<[String: Bucket]>([:])
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
        _ = buckets.withLock { $0.removeValue(forKey: limit.name + "\u{0}" + key) }
    }

    /// How many buckets are kept (for tests of the bound).
    public var count: Int { buckets.withLock { $0.count } }

    private func decide(_ limit: RateLimit, key: String, now: Date, taking: Bool) -> RateDecision {
        let capacity = Double(limit.capacity), rate = Double(limit.capacity) / limit.period
        guard enabled else { return RateDecision(allowed: true, limit: limit.capacity, remaining: limit.capacity, reset: now, retryAfter: 0) }
        let name = limit.name + "\u{0}" + key
        return buckets.withLock { buckets in
            var bucket = buckets[name] ?? Bucket(tokens: capacity, updated: now, period: limit.period)
            bucket.tokens = min(capacity, bucket.tokens + max(0, now.timeIntervalSince(bucket.updated)) * rate)
            bucket.updated = now
            let allowed = bucket.tokens >= 1
            if allowed, taking { bucket.tokens -= 1 }
            if taking || buckets[name] != nil {
                if buckets[name] == nil, buckets.count >= self.capacity { Self.sweep(&buckets, now: now, keeping: self.capacity / 2) }
                buckets[name] = bucket
            }
            let missing = capacity - bucket.tokens
            return RateDecision(
                allowed: allowed, limit: limit.capacity, remaining: Int(bucket.tokens.rounded(.down)),
                reset: now.addingTimeInterval(missing / rate),
                retryAfter: allowed ? 0 : max(1, Int(((1 - bucket.tokens) / rate).rounded(.up))))
        }
    }

    /// Drops buckets that have refilled, then the least recently used ones until at most
    /// `keeping` are left.
    private static func sweep(_ buckets: inout [String: Bucket], now: Date, keeping: Int) {
        buckets = buckets.filter { now.timeIntervalSince($0.value.updated) < $0.value.period }
        guard buckets.count > keeping else { return }
        let kept = buckets.sorted { $0.value.updated > $1.value.updated }.prefix(keeping)
        buckets = Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.value) })
    }
}
