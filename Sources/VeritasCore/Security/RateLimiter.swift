// Rate limits (SPEC §13): what each limit allows, the answer to one attempt, and the protocol
// a backend implements.
import Foundation

/// A limit: at most `capacity` events in any span of `period`.
public struct RateLimit: Sendable, Equatable {
    public let name: String
    public let capacity: Int
    public let period: TimeInterval

    public init(name: String, capacity: Int, period: TimeInterval) {
        self.name = name
        self.capacity = capacity
        self.period = period
    }

    /// Failed logins, per resolved account and per address.
    public static let failedLogins = RateLimit(name: "login", capacity: 10, period: 300)
    /// Sign-ups, per address.
    public static let signUps = RateLimit(name: "sign-up", capacity: 5, period: 1_800)
    /// Statuses posted, per account.
    public static let statuses = RateLimit(name: "statuses", capacity: 300, period: 3 * 3_600)
    /// Follows, per account.
    public static let follows = RateLimit(name: "follows", capacity: 400, period: 86_400)
}

/// What a limit says about one attempt.
public struct RateDecision: Sendable, Equatable {
    public let allowed: Bool
    public let limit: Int
    /// Events still allowed now (after this one, when it was taken).
    public let remaining: Int
    /// When every event counted now has left the window (the whole limit is free again).
    public let reset: Date
    /// Whole seconds until the next event is allowed (0 when one is allowed now).
    public let retryAfter: Int

    public init(allowed: Bool, limit: Int, remaining: Int, reset: Date, retryAfter: Int) {
        self.allowed = allowed
        self.limit = limit
        self.remaining = remaining
        self.reset = reset
        self.retryAfter = retryAfter
    }
}

/// Thrown when a limit refuses an attempt; the server answers `429` with the decision's headers.
public struct RateLimited: Error, Sendable, Equatable {
    public let limit: RateLimit
    public let decision: RateDecision

    public init(limit: RateLimit, decision: RateDecision) {
        self.limit = limit
        self.decision = decision
    }
}

/// Where the counts live: in memory for one server; the shared database when several run.
public protocol RateLimiter: Sendable {
    /// Counts one event against `limit` for `key` when the limit allows it; says what the limit
    /// allows either way.
    func take(_ limit: RateLimit, key: String, now: Date) -> RateDecision
    /// What `take` would say, without taking.
    func check(_ limit: RateLimit, key: String, now: Date) -> RateDecision
    /// Forgets the events counted (a successful login forgets the failures before it).
    func reset(_ limit: RateLimit, key: String)
}

extension RateLimiter {
    /// Takes one event, or throws `RateLimited`.
    public func enforce(_ limit: RateLimit, key: String, now: Date) throws(RateLimited) {
        let decision = take(limit, key: key, now: now)
        guard decision.allowed else { throw RateLimited(limit: limit, decision: decision) }
    }
}
