// Podcast feeds read by feedparser and podcastparser (parsers none of us wrote): the public feed
// of a free show, private feeds of a paid one, and how private feeds die.
import Foundation
import TestSupport
import Testing

@Suite struct PodcastFeedTests {
    /// What `Clients/podcast_feed.py` read from `url`.
    func parse(_ url: String) throws -> [String: Any] {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Clients/podcast_feed.py")
        let output = try runChecked(["python3", script.path, url])
        return (try JSONSerialization.jsonObject(with: Data(output.utf8))) as? [String: Any] ?? [:]
    }

    @Test func aFreeShowsFeedParsesCleanlyWithEveryField() async throws {
        let seed = try await SeedStore.shared.get()
        let feed = try parse(seed.base + "/podcasts/daily-pod/feed.xml")
        #expect(feed["status"] as? Int == 200 && feed["bozo"] as? Bool == false, "\(feed)")
        #expect((feed["content_type"] as? String)?.hasPrefix("application/rss+xml") == true)
        #expect(feed["title"] as? String == "Daily & <Pod>")
        #expect(feed["locked"] as? String == "no")
        #expect((feed["podcast_guid"] as? String)?.count == 36)
        // Asked for gzip (as feedparser and podcast apps ask), the same feed comes compressed.
        let fetched = try #require(feed["fetched_by_feedparser"] as? [String: Any])
        #expect(fetched["content_encoding"] as? String == "gzip" && fetched["vary"] as? String == "Accept-Encoding", "\(fetched)")
        #expect(fetched["bozo"] as? Bool == false && fetched["same_items"] as? Bool == true, "\(fetched)")
        let item = try #require((feed["items"] as? [[String: Any]])?.first)
        #expect(item["title"] as? String == #"Pod "one" & more"#)
        #expect(item["guid"] as? String == seed.freePodcastEpisode)
        #expect(item["duration"] as? String == "5" && item["season"] as? String == "2" && item["episode"] as? String == "3")
        #expect((item["published"] as? String)?.hasSuffix("+0000") == true)
        let enclosure = try #require((item["enclosures"] as? [[String: Any]])?.first)
        #expect(enclosure["type"] as? String == "audio/mp4")
        let url = try #require(enclosure["url"] as? String)
        let length = Int(enclosure["length"] as? String ?? "") ?? 0

        // podcastparser reads the same episode.
        let other = try #require(((feed["podcastparser"] as? [String: Any])?["episodes"] as? [[String: Any]])?.first)
        #expect(other["guid"] as? String == seed.freePodcastEpisode && other["total_time"] as? Int == 5)
        #expect(other["season"] as? Int == 2 && other["number"] as? Int == 3)

        // The enclosure is the length the feed says, and Range requests return the right bytes.
        let whole = try await http("GET", url)
        #expect(whole.status == 200 && whole.body.count == length && whole.header("Content-Type") == "audio/mp4")
        let part = try await http("GET", url, headers: ["Range": "bytes=100-199"])
        #expect(part.status == 206 && part.body == whole.body.subdata(in: 100..<200))
        #expect(part.header("Content-Range") == "bytes 100-199/\(length)")
        let etag = try #require(whole.header("ETag"))
        let stale = try await http("GET", url, headers: ["Range": "bytes=0-9", "If-Range": "\"other\""])
        #expect(stale.status == 200 && stale.body.count == length)
        let fresh = try await http("GET", url, headers: ["Range": "bytes=0-9", "If-Range": etag])
        #expect(fresh.status == 206 && fresh.body.count == 10)
        let head = try await http("HEAD", url)
        #expect(head.status == 200 && head.header("Content-Length") == String(length))
        // The source's chapter marks, as Podcasting 2.0 JSON chapters.
        let chaptersURL = try #require((feed["chapters_urls"] as? [String])?.first)
        #expect(chaptersURL == url.replacingOccurrences(of: ".m4a", with: ".chapters.json"))
        let chapters = try await http("GET", chaptersURL)
        #expect(chapters.status == 200 && chapters.header("Content-Type") == "application/json+chapters")
        let marks = try #require(chapters.json["chapters"] as? [[String: Any]])
        #expect(marks.map { $0["title"] as? String } == ["Hello & welcome", "The news"])
        #expect(marks.map { $0["startTime"] as? Double } == [0, 2])
        #expect(chapters.json["version"] as? String == "1.2.0")

        // A decoder none of us wrote reads the whole enclosure.
        let probe = try HLSInspector.ffprobe(location: url, ["-show_entries", "format=duration:stream=codec_name"])
        #expect(abs((Double((probe["format"] as? [String: Any])?["duration"] as? String ?? "") ?? 0) - 5) < 0.2)
    }

    @Test func paidShowsHaveNoPublicFeed() async throws {
        let seed = try await SeedStore.shared.get()
        let answer = try await http("GET", seed.base + "/podcasts/insider/feed.xml")
        #expect(answer.status == 403 && answer.json["error"] as? String == "subscription_required")
        let enclosure = try await http("GET", seed.base + "/podcasts/insider/episodes/\(seed.paidPodcastEpisode).m4a")
        #expect(enclosure.status == 403)
        #expect(try await http("GET", seed.base + "/podcasts/no-such-show/feed.xml").status == 404)
    }

    @Test func privateFeedsWorkUntilResetAndOnlyForTheirShow() async throws {
        let seed = try await SeedStore.shared.get()
        let alice = ["Authorization": "Bearer \(try await seed.token("alice"))"]
        let first = try await http("GET", seed.base + "/api/v1/shows/insider/feed", headers: alice)
        let rss = try #require(first.json["rss_url"] as? String)
        #expect(try await http("GET", seed.base + "/api/v1/shows/insider/feed", headers: alice).json["rss_url"] as? String == rss)
        let feed = try parse(rss)
        #expect(feed["status"] as? Int == 200 && feed["bozo"] as? Bool == false && feed["locked"] as? String == "yes", "\(feed)")
        let fetched = try #require(feed["fetched_by_feedparser"] as? [String: Any])
        #expect(fetched["content_encoding"] as? String == "gzip" && fetched["same_items"] as? Bool == true, "\(fetched)")
        let item = try #require((feed["items"] as? [[String: Any]])?.first)
        #expect(item["guid"] as? String == seed.paidPodcastEpisode)
        let enclosure = try #require((item["enclosures"] as? [[String: Any]])?.first?["url"] as? String)
        #expect(enclosure.contains("/podcasts/private/") && enclosure.hasSuffix("/episodes/\(seed.paidPodcastEpisode).m4a"))
        #expect(try await http("GET", enclosure, headers: ["Range": "bytes=0-0"]).status == 206)

        // Another subscriber gets another URL; a non-subscriber gets none.
        let hank = try await http("GET", seed.base + "/api/v1/shows/insider/feed", headers: ["Authorization": "Bearer \(try await seed.token("hank"))"])
        #expect((hank.json["rss_url"] as? String).map { $0 != rss } == true)
        let bob = try await http("GET", seed.base + "/api/v1/shows/insider/feed", headers: ["Authorization": "Bearer \(try await seed.token("bob"))"])
        #expect(bob.status == 403 && bob.json["error"] as? String == "subscription_required")
        #expect(try await http("GET", seed.base + "/api/v1/shows/insider/feed").status == 401)

        // The token of one show does not open another show's episodes.
        let otherShow = enclosure.replacingOccurrences(of: seed.paidPodcastEpisode, with: seed.freePodcastEpisode)
        #expect(try await http("GET", otherShow).status == 404)

        // Reset: the old feed and its enclosures die at once, the new one works.
        let reset = try await http("DELETE", seed.base + "/api/v1/shows/insider/feed", headers: alice)
        let renewed = try #require(reset.json["rss_url"] as? String)
        #expect(renewed != rss)
        #expect(try await http("GET", rss).status == 403)
        #expect(try await http("GET", enclosure).status == 403)
        #expect(try parse(renewed)["status"] as? Int == 200)
        #expect(try await http("GET", seed.base + "/podcasts/private/forged-token/feed.xml").status == 403)
    }

    @Test func revokingTheSubscriptionKillsThePrivateFeed() async throws {
        let seed = try await SeedStore.shared.get()
        _ = try seed.cli("subscriptions", "grant", "gina", "--plan", "premium", "--days", "30")
        let gina = ["Authorization": "Bearer \(try await seed.token("gina"))"]
        let rss = try #require(try await http("GET", seed.base + "/api/v1/shows/insider/feed", headers: gina).json["rss_url"] as? String)
        #expect(try await http("GET", rss).status == 200)
        #expect(try seed.cli("subscriptions", "revoke", "gina", "--plan", "premium").succeeded)
        #expect(try await http("GET", rss).status == 403)
    }

    @Test func aVideoShowOfferedAsAPodcastHasAnAudioOnlyEnclosure() async throws {
        let seed = try await SeedStore.shared.get()
        let feed = try parse(seed.base + "/podcasts/open-air/feed.xml")
        #expect(feed["status"] as? Int == 200 && feed["bozo"] as? Bool == false, "\(feed)")
        let item = try #require((feed["items"] as? [[String: Any]])?.first)
        #expect(item["guid"] as? String == seed.freeEpisode)
        let url = try #require((item["enclosures"] as? [[String: Any]])?.first?["url"] as? String)
        let probe = try HLSInspector.ffprobe(location: url, ["-show_entries", "format=duration:stream=codec_type,codec_name,channels"])
        let streams = try #require(probe["streams"] as? [[String: Any]])
        #expect(streams.count == 1 && streams[0]["codec_name"] as? String == "aac" && streams[0]["channels"] as? Int == 2)
        #expect(abs((Double((probe["format"] as? [String: Any])?["duration"] as? String ?? "") ?? 0) - 7) < 0.2)
        // At podcast loudness, as ffmpeg's own meter reads it (the clip's tone is near -19 LUFS).
        let meter = try run(["ffmpeg", "-nostats", "-i", url, "-af", "ebur128", "-f", "null", "-"])
        let integrated = (meter.stderr.components(separatedBy: "Summary:").last ?? "").split(separator: "\n")
            .first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("I:") }
            .flatMap { $0.split(separator: " ").compactMap { Double($0) }.first }
        #expect(integrated.map { abs($0 + 16) <= 1 } == true, "\(String(describing: integrated)) LUFS")

        // A video show not offered as a podcast has no feed, public or private.
        #expect(try await http("GET", seed.base + "/podcasts/tonight/feed.xml").status == 404)
        let alice = ["Authorization": "Bearer \(try await seed.token("alice"))"]
        #expect(try await http("GET", seed.base + "/api/v1/shows/tonight/feed", headers: alice).status == 404)
    }
}
