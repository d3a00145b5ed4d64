// The RSS builder's pieces: Podcasting 2.0 guids, RFC 2822 dates, XML escaping.
import Foundation
import Testing
@testable import VeritasServer

@Suite struct PodcastRSSTests {
    @Test func feedsAreCutAtThePlaceholderByBytes() {
        let mark = PodcastRSS.prefixPlaceholder
        #expect(FeedCache.split("a\(mark)b\(mark)\(mark)é", at: mark) == ["a", "b", "", "é"])
        #expect(FeedCache.split("\(mark)", at: mark) == ["", ""])
        #expect(FeedCache.split("no mark", at: mark) == ["no mark"])
    }

    @Test func anExpiredFeedIsRenderedByOneRequestWhileOthersGetTheOldCopy() throws {
        let cache = FeedCache()
        let start = Date(timeIntervalSince1970: 1_000_000)
        var renders = 0
        func body(at now: Date, during: () throws -> Void = {}) throws -> String {
            let buffer = try cache.body(show: "s", isPrivate: false, prefix: "P", gzip: false, now: now) {
                renders += 1
                try during()
                return "feed \(renders) \(PodcastRSS.prefixPlaceholder)"
            }
            return String(buffer: buffer)
        }
        #expect(try body(at: start) == "feed 1 P")
        #expect(try body(at: start.addingTimeInterval(10)) == "feed 1 P" && renders == 1)
        // Expired: this request renders; one arriving meanwhile is answered from the old copy.
        var meanwhile: String?
        let later = start.addingTimeInterval(31)
        #expect(try body(at: later) { meanwhile = try body(at: later) } == "feed 2 P")
        #expect(meanwhile == "feed 1 P" && renders == 2)
        #expect(try body(at: later.addingTimeInterval(1)) == "feed 2 P" && renders == 2)
    }

    @Test func instanceCountsAreTakenAtMostOnceAMinute() throws {
        let counts = RecentValue<Int>(lifetime: 60)
        let start = Date(timeIntervalSince1970: 1_000_000)
        var computed = 0
        func get(_ seconds: Double) throws -> Int { try counts.get(now: start.addingTimeInterval(seconds)) { computed += 1; return computed } }
        #expect(try get(0) == 1 && get(59) == 1)
        #expect(try get(61) == 2 && computed == 2)
    }

    @Test func gzipIsSentOnlyToClientsThatTakeIt() {
        #expect(FeedCache.acceptsGzip("gzip, deflate"))
        #expect(FeedCache.acceptsGzip("br;q=1.0, GZIP;q=0.5"))
        #expect(FeedCache.acceptsGzip("*"))
        #expect(!FeedCache.acceptsGzip(nil))
        #expect(!FeedCache.acceptsGzip("deflate, br"))
        #expect(!FeedCache.acceptsGzip("gzip;q=0"))
    }

    @Test func podcastGUIDMatchesTheSpecExample() {
        // The example of the Podcasting 2.0 namespace documentation.
        #expect(PodcastRSS.podcastGUID("https://podnews.net/rss") == "9b024349-ccf0-5f69-a609-6b82873eab3c")
        #expect(PodcastRSS.podcastGUID("http://podnews.net/rss/") == PodcastRSS.podcastGUID("podnews.net/rss"))
    }

    @Test func pubDatesAreRFC2822InUTC() {
        #expect(PodcastRSS.rfc2822(Date(timeIntervalSince1970: 1_795_441_338)) == "Mon, 23 Nov 2026 13:42:18 +0000")
        #expect(PodcastRSS.rfc2822(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 +0000")
    }

    @Test func userTextIsEscapedAndControlCharactersDropped() {
        #expect(PodcastRSS.escape("<b>\"Tom\" & 'Jerry'</b>\u{0}\u{1B}") == "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;")
    }
}
