// Sliding windows: at most N events in any span of T, with the numbers a 429 reports.
import Foundation
import Testing
import VeritasCore

@Suite struct RateLimiterTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func aLimitAllowsItsCapacityInAnyWindowAndNoMore() throws {
        let limiter = MemoryRateLimiter()
        let limit = RateLimit(name: "test", capacity: 5, period: 50)
        for used in 1...5 {
            let decision = limiter.take(limit, key: "a", now: start)
            #expect(decision.allowed && decision.remaining == 5 - used)
        }
        let refused = limiter.take(limit, key: "a", now: start.addingTimeInterval(20))
        #expect(!refused.allowed && refused.remaining == 0 && refused.retryAfter == 30 && refused.limit == 5)
        #expect(refused.reset == start.addingTimeInterval(50))
        #expect(limiter.take(limit, key: "b", now: start).allowed, "another key counts on its own")
        // Patience earns nothing early: the window slides, it does not refill.
        #expect(!limiter.check(limit, key: "a", now: start.addingTimeInterval(49)).allowed)
        #expect(throws: RateLimited.self) { try limiter.enforce(limit, key: "a", now: start.addingTimeInterval(49.9)) }
        let later = limiter.take(limit, key: "a", now: start.addingTimeInterval(50))
        #expect(later.allowed && later.remaining == 4)
        limiter.reset(limit, key: "a")
        #expect(limiter.check(limit, key: "a", now: start.addingTimeInterval(50)).remaining == 5)
    }

    @Test func checkingTakesNothingAndOffAllowsEverything() {
        let limit = RateLimit(name: "test", capacity: 1, period: 60)
        let limiter = MemoryRateLimiter()
        for _ in 0..<3 { #expect(limiter.check(limit, key: "a", now: start).allowed) }
        #expect(limiter.count == 0)
        let off = MemoryRateLimiter(enabled: false)
        for _ in 0..<10 { #expect(off.take(limit, key: "a", now: start).allowed) }
    }

    @Test func eventsSpreadOverTheWindowStillCount() {
        let limiter = MemoryRateLimiter()
        let limit = RateLimit(name: "test", capacity: 10, period: 300)
        for minute in 0..<10 { #expect(limiter.take(limit, key: "a", now: start.addingTimeInterval(Double(minute) * 29)).allowed) }
        #expect(!limiter.take(limit, key: "a", now: start.addingTimeInterval(299)).allowed, "ten in five minutes, however spread")
        #expect(limiter.take(limit, key: "a", now: start.addingTimeInterval(300)).allowed, "the first has left the window")
    }

    @Test func memoryStaysBoundedUnderManyKeys() {
        let limiter = MemoryRateLimiter(capacity: 1_000)
        let limit = RateLimit(name: "test", capacity: 3, period: 60)
        for key in 0..<10_000 { _ = limiter.take(limit, key: "address:\(key)", now: start.addingTimeInterval(Double(key) / 1000)) }
        #expect(limiter.count <= 1_000)
        // The most recent keys are the ones kept.
        _ = limiter.take(limit, key: "address:9999", now: start.addingTimeInterval(10))
        _ = limiter.take(limit, key: "address:9999", now: start.addingTimeInterval(10))
        #expect(!limiter.take(limit, key: "address:9999", now: start.addingTimeInterval(10)).allowed)
    }
}
