// Files are served as a careful static server would: ranges, HEAD, ETags, content types,
// cache rules and CORS; plus OAuth's browser flow, rate limits, health and metrics.
import Foundation
import TestSupport
import Testing

@Suite struct HTTPBehaviourTests {
    @Test func segmentsSupportRangesHeadETagsAndCaching() async throws {
        let seed = try await SeedStore.shared.get()
        let url = try await seed.hlsURL("alice", seed.paidEpisode)
        let segment = String(url.dropLast("master.m3u8".count)) + "360p/s00000.ts"
        let onDisk = try Data(contentsOf: seed.cli.mediaDirectory.appendingPathComponent("assets/\(seed.paidAsset)/360p/s00000.ts"))

        let whole = try await http("GET", segment)
        #expect(whole.status == 200 && whole.body == onDisk)
        #expect(whole.header("Content-Type") == "video/mp2t")
        #expect(whole.header("Cache-Control")?.contains("immutable") == true)
        #expect(whole.header("Accept-Ranges") == "bytes")
        let etag = try #require(whole.header("ETag"))
        #expect(whole.header("Last-Modified") != nil)

        let part = try await http("GET", segment, headers: ["Range": "bytes=100-299"])
        #expect(part.status == 206)
        #expect(part.body == onDisk.subdata(in: 100..<300))
        #expect(part.header("Content-Range") == "bytes 100-299/\(onDisk.count)")
        let tail = try await http("GET", segment, headers: ["Range": "bytes=-16"])
        #expect(tail.status == 206 && tail.body == onDisk.suffix(16))
        let beyond = try await http("GET", segment, headers: ["Range": "bytes=\(onDisk.count + 10)-"])
        #expect(beyond.status == 416)
        #expect(beyond.header("Content-Range") == "bytes */\(onDisk.count)")
        let open = try await http("GET", segment, headers: ["Range": "bytes=\(onDisk.count - 5)-"])
        #expect(open.status == 206 && open.body == onDisk.suffix(5))
        let oversized = try await http("GET", segment, headers: ["Range": "bytes=0-99999999999"])
        #expect(oversized.status == 206 && oversized.body == onDisk)
        let several = try await http("GET", segment, headers: ["Range": "bytes=0-1,5-6"])
        #expect(several.status == 200 && several.body == onDisk, "multiple ranges: the whole file")
        #expect(try await http("GET", segment).status == 200, "the server is still up")

        let head = try await http("HEAD", segment)
        #expect(head.status == 200 && head.body.isEmpty && head.header("Content-Length") == String(onDisk.count))
        #expect(try await http("GET", segment, headers: ["If-None-Match": etag]).status == 304)

        let key = try await http("GET", String(url.dropLast("master.m3u8".count)) + "key")
        #expect(key.status == 200 && key.body.count == 16)
        #expect(key.header("Cache-Control") == "no-store")
        let playlist = try await http("GET", url, headers: ["Origin": "https://player.example"])
        #expect(playlist.header("Cache-Control") == "private, no-store")
        #expect(playlist.header("Access-Control-Allow-Origin") == "*")
        #expect(playlist.text.contains("URI=\"\(String(url.dropLast("master.m3u8".count)))key\"") == false, "master has no key")
        let media = try await http("GET", String(url.dropLast("master.m3u8".count)) + "360p/index.m3u8")
        #expect(media.text.contains("#EXT-X-KEY:METHOD=AES-128,URI=\"\(String(url.dropLast("master.m3u8".count)))key\""), "\(media.text)")
        #expect(!media.text.contains("veritas:key"))
    }

    @Test func shutdownFinishesTheDownloadsInFlight() async throws {
        let seed = try await SeedStore.shared.get()
        let server = try ServerProcess(cli: seed.cli)
        let hls = try await seed.hlsURL("alice", seed.paidEpisode)
        let segment = server.baseURL + "/play/" + (hls.components(separatedBy: "/play/").last ?? "").replacingOccurrences(of: "master.m3u8", with: "360p/s00000.ts")
        let onDisk = try Data(contentsOf: seed.cli.mediaDirectory.appendingPathComponent("assets/\(seed.paidAsset)/360p/s00000.ts"))
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("veritas-slow-\(UUID().uuidString).ts")
        // A slow client: about three seconds for the segment.
        let download = Process()
        download.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        download.arguments = ["curl", "-sf", "--limit-rate", "\(max(1, onDisk.count / 3 / 1024))k", "-o", target.path, segment]
        try download.run()
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, ((try? FileManager.default.attributesOfItem(atPath: target.path))?[.size] as? Int ?? 0) == 0 {
            try await Task.sleep(for: .milliseconds(50))
        }
        let status = server.stop()
        download.waitUntilExit()
        #expect(status == 0, "the server exits cleanly on SIGTERM")
        #expect(download.terminationStatus == 0, "the download in flight completes")
        #expect(try Data(contentsOf: target) == onDisk)
    }

    @Test func postersArePublicForPublishedEpisodesOnly() async throws {
        let seed = try await SeedStore.shared.get()
        let poster = try await http("GET", seed.base + "/media/\(seed.paidAsset)/poster.jpg")
        #expect(poster.status == 200 && poster.header("Content-Type") == "image/jpeg")
        let draft = try #require(try seed.cli.list("episodes", "list").first { $0["id"] as? String == seed.unpublishedEpisode })
        let hidden = try await http("GET", seed.base + "/media/\(draft["asset_id"] as? String ?? "")/poster.jpg")
        #expect(hidden.status == 404)
    }

    @Test func authorizeFormGivesACodeThatBecomesAToken() async throws {
        let seed = try await SeedStore.shared.get()
        let app = try await http("POST", seed.base + "/api/v1/apps", form: ["client_name": "browser", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read"])
        let clientID = try #require(app.json["client_id"] as? String), secret = try #require(app.json["client_secret"] as? String)
        let page = try await http("GET", seed.base + "/oauth/authorize?response_type=code&client_id=\(clientID)&redirect_uri=urn:ietf:wg:oauth:2.0:oob&scope=read")
        #expect(page.status == 200 && page.text.contains("<form") && page.text.contains("<label for=\"password\">"))
        let cookie = try #require(page.header("Set-Cookie"))
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
        let csrf = try #require(page.text.range(of: #"name="csrf_token" value="([^"]+)""#, options: .regularExpression).map {
            String(page.text[$0].split(separator: "\"")[3])
        })
        let form = ["client_id": clientID, "redirect_uri": "urn:ietf:wg:oauth:2.0:oob", "scope": "read", "username": "alice", "password": Seed.password]
        let forged = try await http("POST", seed.base + "/oauth/authorize", headers: ["Cookie": "veritas_csrf=\(csrf)"], form: form.merging(["csrf_token": "forged"]) { $1 })
        #expect(forged.status == 403)
        let granted = try await http("POST", seed.base + "/oauth/authorize", headers: ["Cookie": "veritas_csrf=\(csrf)"], form: form.merging(["csrf_token": csrf]) { $1 })
        #expect(granted.status == 200, "\(granted.text)")
        let code = try #require(granted.text.range(of: #"<code>([^<]+)</code>"#, options: .regularExpression).map {
            String(granted.text[$0].dropFirst(6).dropLast(7))
        })
        let exchange = ["grant_type": "authorization_code", "code": code, "client_id": clientID, "client_secret": secret, "redirect_uri": "urn:ietf:wg:oauth:2.0:oob"]
        let token = try await http("POST", seed.base + "/oauth/token", form: exchange)
        #expect(token.status == 200, "\(token.text)")
        let bearer = try #require(token.json["access_token"] as? String)
        let me = try await http("GET", seed.base + "/api/v1/accounts/verify_credentials", headers: ["Authorization": "Bearer \(bearer)"])
        #expect(me.json["username"] as? String == "alice")
        #expect(try await http("POST", seed.base + "/oauth/token", form: exchange).status == 400, "a code works once")
        let revoke = try await http("POST", seed.base + "/oauth/revoke", form: ["client_id": clientID, "client_secret": secret, "token": bearer])
        #expect(revoke.status == 200)
        #expect(try await http("GET", seed.base + "/api/v1/accounts/verify_credentials", headers: ["Authorization": "Bearer \(bearer)"]).status == 401)
    }

    @Test func failedLoginsAreRateLimited() async throws {
        // A server of its own (over the same database): the limit also counts per address, and
        // every test comes from 127.0.0.1.
        let seed = try await SeedStore.shared.get()
        let server = try ServerProcess(cli: seed.cli)
        defer { server.stop() }
        let base = server.baseURL
        let app = try await http("POST", base + "/api/v1/apps", form: ["client_name": "guess"])
        var form = ["grant_type": "password", "client_id": app.json["client_id"] as? String ?? "",
                    "client_secret": app.json["client_secret"] as? String ?? "", "username": "bob", "password": "wrong-guess"]
        for _ in 0..<10 { #expect(try await http("POST", base + "/oauth/token", form: form).status == 400) }
        form["password"] = Seed.password
        let limited = try await http("POST", base + "/oauth/token", form: form)
        #expect(limited.status == 429)
        #expect(Int(limited.header("Retry-After") ?? "") ?? 0 > 0)
        #expect(limited.json["error"] != nil)
    }

    @Test func signUpWithAnAppTokenAndClientCredentials() async throws {
        let seed = try await SeedStore.shared.get()
        let app = try await http("POST", seed.base + "/api/v1/apps", form: ["client_name": "signup", "scopes": "read write"])
        let appToken = try await http("POST", seed.base + "/oauth/token", form: [
            "grant_type": "client_credentials", "client_id": app.json["client_id"] as? String ?? "",
            "client_secret": app.json["client_secret"] as? String ?? "",
        ])
        let bearer = try #require(appToken.json["access_token"] as? String)
        let signUp = ["username": "newbie", "email": "newbie@example.com", "password": "a-long-password", "agreement": "true", "locale": "en"]
        #expect(try await http("POST", seed.base + "/api/v1/accounts", form: signUp).status == 401)
        let from = ["Authorization": "Bearer \(bearer)", "X-Forwarded-For": "198.51.100.7"]
        let created = try await http("POST", seed.base + "/api/v1/accounts", headers: from, form: signUp)
        #expect(created.status == 200, "\(created.text)")
        let userToken = try #require(created.json["access_token"] as? String)
        let me = try await http("GET", seed.base + "/api/v1/accounts/verify_credentials", headers: ["Authorization": "Bearer \(userToken)"])
        #expect(me.json["username"] as? String == "newbie")
        let again = try await http("POST", seed.base + "/api/v1/accounts", headers: from, form: signUp)
        #expect(again.status == 409)
    }

    @Test func catalogPlansSubscriptionHealthAndMetrics() async throws {
        let seed = try await SeedStore.shared.get()
        let alice = try await seed.token("alice")
        let shows = try await http("GET", seed.base + "/api/v1/shows", headers: ["Authorization": "Bearer \(alice)"])
        let list = try #require((try JSONSerialization.jsonObject(with: shows.body)) as? [[String: Any]])
        #expect(Set(list.compactMap { $0["slug"] as? String }) == ["tonight", "open-air", "daily-pod", "insider"])
        #expect(list.allSatisfy { $0["can_play"] as? Bool == true })
        let episodes = try await http("GET", seed.base + "/api/v1/shows/tonight/episodes")
        let rows = try #require((try JSONSerialization.jsonObject(with: episodes.body)) as? [[String: Any]])
        #expect(rows.map { $0["id"] as? String } == [seed.paidEpisode], "drafts are hidden")
        #expect(rows.first?["status"] as? String == "ready" && rows.first?["asset_id"] as? String == seed.paidAsset)
        #expect(rows.first?["can_play"] as? Bool == false, "anonymous")
        #expect(try await http("GET", seed.base + "/api/v1/episodes/\(seed.unpublishedEpisode)").status == 404)
        let plans = try await http("GET", seed.base + "/api/v1/plans")
        #expect(plans.text.contains("\"price\":\"9.99\""))
        let subscription = try await http("GET", seed.base + "/api/v1/subscription", headers: ["Authorization": "Bearer \(alice)"])
        #expect(subscription.json["status"] as? String == "active")
        #expect((subscription.json["plan"] as? [String: Any])?["id"] as? String == "premium")
        let health = try await http("GET", seed.base + "/health")
        #expect(health.status == 200 && health.json["status"] as? String == "ok")
        #expect(health.header("X-Request-Id")?.isEmpty == false)
        let metrics = try await http("GET", seed.base + "/metrics")
        #expect(metrics.text.contains("veritas_bytes_served_total"), "\(metrics.text.prefix(500))")
        #expect(metrics.text.contains("veritas_active_streams"))
        #expect(metrics.text.contains("hb_requests") || metrics.text.contains("hb_request"), "\(metrics.text.prefix(800))")
        #expect(try await http("GET", seed.base + "/no/such/route").status == 404)
    }
}
