// The web UI against a live seeded server: every page checked by Python's HTML parser, and a
// real headless Chromium driven by Playwright signing in, watching and posting.
import Foundation
import TestSupport
import Testing

@testable import VeritasServer

@Suite struct WebUITests {
    static let clients = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Clients")

    @Test func everyPageParsesLabelsItsControlsAndGuardsItsForms() async throws {
        let seed = try await SeedStore.shared.get()
        let result = try run(["python3", Self.clients.appendingPathComponent("web_pages.py").path, seed.base, seed.paidEpisode, seed.freeEpisode])
        #expect(result.succeeded && result.stdout.hasSuffix("ok\n"), "\(result.stdout)\n\(result.stderr)")
    }

    @Test func aPersonSignsInWatchesPostsAndANonSubscriberSeesOnlyThePaywall() async throws {
        let seed = try await SeedStore.shared.get()
        let shots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/web-screenshots")
        let result = try run(["python3", Self.clients.appendingPathComponent("web_browser.py").path, seed.base, seed.paidEpisode, shots.path])
        print(result.stdout)
        print("web screenshots in \(shots.path)")
        #expect(result.succeeded && result.stdout.hasSuffix("ok\n"), "\(result.stdout)\n\(result.stderr)")
    }

    @Test func overPlainHTTPCookiesAreHttpOnlyLaxNotSecureAndAWrongPasswordStartsNoSession() async throws {
        let seed = try await SeedStore.shared.get()
        let page = try await http("GET", seed.base + "/login")
        let cookie = try #require(page.header("Set-Cookie"))
        #expect(cookie.contains("veritas_anon=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
        #expect(!cookie.contains("Secure"), "no Secure cookie over plain http")
        let csrf = try #require(page.text.range(of: #"name="csrf_token" value="([^"]+)""#, options: .regularExpression).map {
            String(page.text[$0].split(separator: "\"")[3])
        })
        let anonymous = try #require(cookie.range(of: #"veritas_anon=[^;]+"#, options: .regularExpression).map { String(cookie[$0]) })
        let wrong = try await http(
            "POST", seed.base + "/login", headers: ["Cookie": anonymous],
            form: ["username": "carol", "password": "not-her-password", "csrf_token": csrf, "next": "/feed"])
        #expect(wrong.status == 401 && wrong.text.contains("role=\"alert\"") && wrong.text.contains("value=\"carol\""))
        #expect(!(wrong.header("Set-Cookie") ?? "").contains("veritas_session="), "no session for a wrong password")
    }

    @Test func behindTLSTheCookiesAreSecure() async throws {
        let seed = try await SeedStore.shared.get()
        let server = try ServerProcess(cli: seed.cli, environment: ["VERITAS_PUBLIC_URL": "https://veritas.example"])
        defer { server.stop() }
        let page = try await http("GET", server.baseURL + "/login")
        let cookie = try #require(page.header("Set-Cookie"))
        #expect(cookie.contains("veritas_anon=") && cookie.contains("HttpOnly") && cookie.contains("Secure"))
    }

    @Test func theRungMasterKeepsOneVariantAndTheAudio() {
        let master = """
            #EXTM3U
            #EXT-X-VERSION:4
            #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aac",NAME="Audio",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio/index.m3u8"
            #EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360,AUDIO="aac"
            360p/index.m3u8
            #EXT-X-STREAM-INF:BANDWIDTH=500000,RESOLUTION=426x240,AUDIO="aac"
            240p/index.m3u8
            #EXT-X-STREAM-INF:BANDWIDTH=130000,CODECS="mp4a.40.2",AUDIO="aac"
            audio/index.m3u8
            #EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=90000,URI="360p/iframes.m3u8"
            #EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=50000,URI="240p/iframes.m3u8"

            """
        let reduced = StreamController.master(master, keepingOnly: "240p")
        #expect(reduced == """
            #EXTM3U
            #EXT-X-VERSION:4
            #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aac",NAME="Audio",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio/index.m3u8"
            #EXT-X-STREAM-INF:BANDWIDTH=500000,RESOLUTION=426x240,AUDIO="aac"
            240p/index.m3u8
            #EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=50000,URI="240p/iframes.m3u8"

            """)
        #expect(StreamController.master(master, keepingOnly: "1080p") == nil)
        #expect(StreamController.target(["master-720p.m3u8"]) == .rungMaster(rendition: "720p"))
        #expect(StreamController.target(["master-audio.m3u8"]) == nil)
        #expect(StreamController.target(["master-..%2F.m3u8"]) == nil)
    }

    @Test func onlyLocalPathsAreFollowedAfterSignIn() {
        #expect(WebSessionController.localPath("/episodes/1") == "/episodes/1")
        #expect(WebSessionController.localPath("//evil.example/") == "/")
        #expect(WebSessionController.localPath("https://evil.example/") == "/")
        #expect(WebSessionController.localPath("/\\evil.example") == "/")
        #expect(WebSessionController.localPath(nil) == "/")
    }
}
