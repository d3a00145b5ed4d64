// The Mastodon-compatible feed over HTTP: a real client's session, announcements and their
// gating, error answers and Mastodon's Link headers.
import Foundation
import TestSupport
import Testing

@Suite struct SocialAPITests {
    @Test func aMastodonClientSessionWorksUnmodified() async throws {
        let seed = try await SeedStore.shared.get()
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Clients/mastodon_session.py")
        let result = try run(["python3", script.path, seed.base])
        #expect(result.succeeded && result.stdout.hasSuffix("ok\n"), "\(result.stdout)\n\(result.stderr)")
    }

    @Test func publishedEpisodesAreAnnouncedWithPosterButNeverTheStream() async throws {
        let seed = try await SeedStore.shared.get()
        let bob = try await seed.token("bob"), alice = try await seed.token("alice")
        func announcements(_ token: String?) async throws -> [String: [String: Any]] {
            let headers = token.map { ["Authorization": "Bearer \($0)"] } ?? [:]
            let timeline = try await http("GET", seed.base + "/api/v1/timelines/public?limit=40", headers: headers)
            #expect(timeline.status == 200)
            #expect(!timeline.text.contains("/play/"), "no stream URL in the feed")
            var byEpisode: [String: [String: Any]] = [:]
            for status in timeline.jsonArray {
                if let episode = status["episode"] as? [String: Any], let id = episode["id"] as? String { byEpisode[id] = status }
            }
            return byEpisode
        }
        let forBob = try await announcements(bob)
        let paid = try #require(forBob[seed.paidEpisode])
        #expect(forBob[seed.unpublishedEpisode] == nil)
        #expect(forBob[seed.freeEpisode] != nil)
        let account = try #require(paid["account"] as? [String: Any])
        #expect(account["bot"] as? Bool == true && account["username"] as? String == "tonight")
        #expect((paid["content"] as? String)?.contains("New episode of Tonight") == true)
        let attachment = try #require((paid["media_attachments"] as? [[String: Any]])?.first)
        #expect(attachment["type"] as? String == "video")
        #expect(attachment["url"] as? String == seed.base + "/episodes/\(seed.paidEpisode)")
        let poster = try #require(attachment["preview_url"] as? String)
        let image = try await http("GET", poster)
        #expect(image.status == 200 && image.header("Content-Type") == "image/jpeg")
        let episode = try #require(paid["episode"] as? [String: Any])
        #expect(episode["can_play"] as? Bool == false && episode["plans"] as? [String] == ["premium"])
        #expect((try await announcements(alice))[seed.paidEpisode]?["episode"].flatMap { ($0 as? [String: Any])?["can_play"] as? Bool } == true)
        #expect((try await announcements(nil))[seed.paidEpisode] != nil)
        // Following the attachment as a non-subscriber still ends at the paywall.
        let playback = try await seed.playback("bob", seed.paidEpisode)
        #expect(playback.status == 403 && playback.json["error"] as? String == "subscription_required")
    }

    @Test func badRequestsGetMastodonErrors() async throws {
        let seed = try await SeedStore.shared.get()
        let carol = try await seed.token("carol"), bob = try await seed.token("bob")
        let auth = ["Authorization": "Bearer \(carol)"]
        func expectError(_ result: HTTPResult, _ status: Int, _ message: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(result.status == status, "\(result.text)", sourceLocation: sourceLocation)
            #expect(result.header("Content-Type")?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
            if let message { #expect(result.json["error"] as? String == message, sourceLocation: sourceLocation) }
        }
        expectError(try await http("GET", seed.base + "/api/v1/timelines/home"), 401)
        expectError(try await http("GET", seed.base + "/api/v1/timelines/home", headers: ["Authorization": "Bearer nope"]), 401)
        expectError(try await http("POST", seed.base + "/api/v1/statuses", form: ["status": "anonymous"]), 401)
        expectError(
            try await http("POST", seed.base + "/api/v1/statuses", headers: auth, form: ["status": String(repeating: "x", count: 501)]), 422,
            "Validation failed: Text character limit of 500 exceeded")
        expectError(try await http("POST", seed.base + "/api/v1/statuses", headers: auth, form: ["status": "hi", "visibility": "secret"]), 422)
        expectError(try await http("GET", seed.base + "/api/v1/statuses/12345"), 404, "Record not found")
        expectError(try await http("GET", seed.base + "/api/v1/statuses/..%2Fetc"), 404)
        expectError(try await http("POST", seed.base + "/api/v1/accounts/999/follow", headers: auth), 404)
        expectError(try await http("GET", seed.base + "/api/v1/timelines/public?max_id=abc"), 400)
        expectError(try await http("GET", seed.base + "/api/v1/timelines/public?limit=ten"), 400)
        expectError(try await http("GET", seed.base + "/api/v1/accounts/lookup?acct=nobody"), 404)

        let posted = try await http(
            "POST", seed.base + "/api/v1/statuses", headers: auth, form: ["status": "<script>alert('x')</script> & \"quotes\""])
        #expect(posted.status == 200)
        #expect(posted.json["content"] as? String == "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;</p>")
        let id = try #require(posted.json["id"] as? String)
        expectError(try await http("DELETE", seed.base + "/api/v1/statuses/\(id)", headers: ["Authorization": "Bearer \(bob)"]), 403)
        #expect(try await http("DELETE", seed.base + "/api/v1/statuses/\(id)", headers: auth).status == 200)
        expectError(try await http("GET", seed.base + "/api/v1/statuses/\(id)"), 404)
    }

    @Test func privateStatusesStayWithFollowersOverHTTP() async throws {
        let seed = try await SeedStore.shared.get()
        let admin = try await seed.token("admin"), frank = try await seed.token("frank"), bob = try await seed.token("bob")
        let me = try await http("GET", seed.base + "/api/v1/accounts/verify_credentials", headers: ["Authorization": "Bearer \(frank)"])
        let frankID = try #require(me.json["id"] as? String)
        let posted = try await http(
            "POST", seed.base + "/api/v1/statuses", headers: ["Authorization": "Bearer \(frank)"],
            form: ["status": "followers only", "visibility": "private"])
        let id = try #require(posted.json["id"] as? String)
        #expect(try await http("GET", seed.base + "/api/v1/statuses/\(id)", headers: ["Authorization": "Bearer \(bob)"]).status == 404)
        #expect(try await http("GET", seed.base + "/api/v1/statuses/\(id)").status == 404)
        let listed = try await http("GET", seed.base + "/api/v1/accounts/\(frankID)/statuses", headers: ["Authorization": "Bearer \(bob)"])
        #expect(!listed.jsonArray.contains { $0["id"] as? String == id })
        let followed = try await http("POST", seed.base + "/api/v1/accounts/\(frankID)/follow", headers: ["Authorization": "Bearer \(bob)"])
        #expect(followed.json["following"] as? Bool == true)
        #expect(try await http("GET", seed.base + "/api/v1/statuses/\(id)", headers: ["Authorization": "Bearer \(bob)"]).status == 200)
        let home = try await http("GET", seed.base + "/api/v1/timelines/home", headers: ["Authorization": "Bearer \(bob)"])
        #expect(home.jsonArray.contains { $0["id"] as? String == id })
        #expect(try await http("GET", seed.base + "/api/v1/statuses/\(id)", headers: ["Authorization": "Bearer \(admin)"]).status == 200)
        let reblog = try await http("POST", seed.base + "/api/v1/statuses/\(id)/reblog", headers: ["Authorization": "Bearer \(bob)"])
        #expect(reblog.status == 403)
    }

    @Test func pagesCarryLinkHeadersAsMastodonEmitsThem() async throws {
        let seed = try await SeedStore.shared.get()
        let dave = try await seed.token("dave")
        let auth = ["Authorization": "Bearer \(dave)"]
        let me = try await http("GET", seed.base + "/api/v1/accounts/verify_credentials", headers: auth)
        let daveID = try #require(me.json["id"] as? String)
        var ids: [String] = []
        for n in 0..<3 {
            let posted = try await http("POST", seed.base + "/api/v1/statuses", headers: auth, form: ["status": "dave \(n)"])
            ids.append(try #require(posted.json["id"] as? String))
        }
        let path = seed.base + "/api/v1/accounts/\(daveID)/statuses"
        let first = try await http("GET", path + "?limit=2")
        #expect(first.jsonArray.compactMap { $0["id"] as? String } == [ids[2], ids[1]])
        #expect(first.header("Link") == "<\(path)?limit=2&max_id=\(ids[1])>; rel=\"next\", <\(path)?limit=2&min_id=\(ids[2])>; rel=\"prev\"")
        let second = try await http("GET", path + "?limit=2&max_id=\(ids[1])")
        #expect(second.jsonArray.compactMap { $0["id"] as? String } == [ids[0]])
        let last = try await http("GET", path + "?limit=2&max_id=\(ids[0])")
        #expect(last.status == 200 && last.jsonArray.isEmpty && last.header("Link") == nil)
        let newer = try await http("GET", path + "?min_id=\(ids[0])&limit=1")
        #expect(newer.jsonArray.compactMap { $0["id"] as? String } == [ids[1]])
        let since = try await http("GET", path + "?since_id=\(ids[0])&limit=1")
        #expect(since.jsonArray.compactMap { $0["id"] as? String } == [ids[2]])
        #expect(me.json["statuses_count"] as? Int == 0)
        let after = try await http("GET", seed.base + "/api/v1/accounts/\(daveID)")
        #expect(after.json["statuses_count"] as? Int == 3 && after.json["last_status_at"] is String)
    }
}
