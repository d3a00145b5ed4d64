// Playback end to end with clients none of us wrote: Mastodon.py logs in, ffmpeg and ffprobe
// play the personalised HLS over HTTP.
import Foundation
import TestSupport
import Testing

@Suite struct PlaybackTests {
    @Test func mastodonClientLogsInAndFFmpegPlaysEveryRendition() async throws {
        let seed = try await SeedStore.shared.get()
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Clients/mastodon_login.py")
        let login = try runChecked(["python3", script.path, seed.base, "alice@example.com", Seed.password])
        let lines = login.split(separator: "\n").map(String.init)
        #expect(lines.count == 2 && lines[1] == "alice", "\(login)")
        let answer = try await http(
            "POST", seed.base + "/api/v1/episodes/\(seed.paidEpisode)/playback", headers: ["Authorization": "Bearer \(lines[0])"])
        #expect(answer.status == 200, "\(answer.text)")
        let hls = try #require(answer.json["hls_url"] as? String)
        #expect(hls.hasPrefix(seed.base + "/play/") && hls.hasSuffix("/master.m3u8"))
        #expect((answer.json["poster_url"] as? String)?.hasSuffix("/poster.jpg") == true)
        #expect(answer.json["expires_at"] is String)

        // The whole ladder, audio included, decodes to the end with no extra header or cookie.
        let decode = try run(["ffmpeg", "-v", "error", "-i", hls, "-map", "0", "-f", "null", "-"])
        #expect(decode.succeeded && decode.stderr.isEmpty, "\(decode.stderr)")

        // Each variant through its own personalised playlist.
        let master = try await http("GET", hls)
        let variants = master.text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init)
        #expect(variants.contains("360p/index.m3u8") && variants.contains("audio/index.m3u8"), "\(master.text)")
        let root = String(hls.dropLast("master.m3u8".count))
        for variant in variants {
            let probe = try HLSInspector.ffprobe(
                location: root + variant, ["-show_entries", "format=duration:stream=codec_name,width,height"])
            let duration = Double((probe["format"] as? [String: Any])?["duration"] as? String ?? "") ?? 0
            #expect(abs(duration - 7) < 0.2, "\(variant) lasts \(duration)")
            let codec = ((probe["streams"] as? [[String: Any]])?.first)?["codec_name"] as? String
            #expect(codec == (variant.hasPrefix("audio") ? "aac" : "h264"), "\(variant): \(codec ?? "none")")
        }
    }

    @Test func playbackIsGrantedOnlyToEntitledViewers() async throws {
        let seed = try await SeedStore.shared.get()
        #expect(try await seed.playback("alice", seed.paidEpisode).status == 200)
        #expect(try await seed.playback("admin", seed.paidEpisode).status == 200, "admins play everything")
        #expect(try await seed.playback("bob", seed.freeEpisode).status == 200, "free shows play for everyone")
        for (user, why) in [("bob", "no subscription"), ("carol", "wrong plan"), ("frank", "expired subscription")] {
            let answer = try await seed.playback(user, seed.paidEpisode)
            #expect(answer.status == 403, "\(why): \(answer.status)")
            #expect(answer.json["error"] as? String == "subscription_required", "\(why): \(answer.text)")
        }
        #expect(try await seed.playback("alice", seed.unpublishedEpisode).status == 404)
        #expect(try await seed.playback("alice", "999999").status == 404)
        let anonymous = try await http("POST", seed.base + "/api/v1/episodes/\(seed.paidEpisode)/playback")
        #expect(anonymous.status == 401)
        #expect(anonymous.header("Content-Type")?.hasPrefix("application/json") == true)
    }
}
