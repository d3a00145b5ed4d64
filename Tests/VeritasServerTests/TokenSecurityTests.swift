// Every playlist, segment and key checks the token: tampering, expiry, other assets, old and
// unknown keys, revocation and suspension, and path tricks.
import Foundation
import TestSupport
import Testing
@testable import VeritasCore

@Suite struct TokenSecurityTests {
    /// Splits an hls_url into its base, token and file path.
    func parts(_ url: String) throws -> (root: String, token: String) {
        let pieces = url.components(separatedBy: "/play/")
        let token = try #require(pieces.last?.split(separator: "/").first.map(String.init))
        return (pieces[0] + "/play/", token)
    }

    /// A token signed with the installation's own keys (as the server would) for given claims.
    func sign(_ seed: Seed, account: String, asset: String, expiresAt: Int64) throws -> String {
        let ring = try TokenKeyRing.load(file: seed.cli.mediaDirectory.appendingPathComponent("secrets/token-keys.json"), environment: [:])
        return TokenSigner(keyRing: ring).sign(accountID: account, assetID: asset, expiresAt: expiresAt)
    }

    /// Polls `url` until it stops answering 200, for at most the 60 s SPEC §6 allows.
    func statusOnceRefused(_ url: String) async throws -> Int {
        let deadline = Date().addingTimeInterval(60)
        var status = try await http("GET", url).status
        while status == 200, Date() < deadline {
            try await Task.sleep(for: .milliseconds(250))
            status = try await http("GET", url).status
        }
        return status
    }

    func accountID(_ seed: Seed, _ name: String) throws -> String {
        try #require(try seed.cli.list("users", "list").first { $0["username"] as? String == name }?["id"] as? String)
    }

    @Test func everyAlteredCharacterOfTheTokenIsRefused() async throws {
        let seed = try await SeedStore.shared.get()
        let (root, token) = try parts(try await seed.hlsURL("alice", seed.paidEpisode))
        #expect(try await http("GET", root + token + "/360p/s00000.ts").status == 200)
        let characters = Array(token)
        for index in characters.indices {
            var altered = characters
            altered[index] = altered[index] == "1" ? "2" : (altered[index] == "a" ? "b" : "1")
            let status = try await http("GET", root + String(altered) + "/360p/s00000.ts").status
            #expect(status == 403, "changed at \(index): \(status)")
        }
        for missing in [root + "/360p/s00000.ts", root + "master.m3u8"] {
            #expect([403, 404].contains(try await http("GET", missing).status))
        }
    }

    @Test func expiredOtherAssetAndUnknownKeyTokensAreRefused() async throws {
        let seed = try await SeedStore.shared.get()
        let alice = try accountID(seed, "alice")
        let root = seed.base + "/play/"
        let valid = try sign(seed, account: alice, asset: seed.paidAsset, expiresAt: Int64(Date().timeIntervalSince1970) + 600)
        #expect(try await http("GET", root + valid + "/key").status == 200)
        let expired = try sign(seed, account: alice, asset: seed.paidAsset, expiresAt: Int64(Date().timeIntervalSince1970) - 1)
        #expect(try await http("GET", root + expired + "/master.m3u8").status == 403)
        // The asset is part of what is signed: pointing the token at another asset breaks it.
        let otherAsset = valid.replacingOccurrences(of: ".\(seed.paidAsset).", with: ".\(seed.freeAsset).")
        #expect(try await http("GET", root + otherAsset + "/master.m3u8").status == 403)
        let unknownKey = valid.replacingOccurrences(of: ".k1.", with: ".k99.")
        #expect(try await http("GET", root + unknownKey + "/master.m3u8").status == 403)
        let answer = try await http("GET", root + valid + "/master.m3u8")
        #expect(answer.status == 200)
        #expect(answer.header("Content-Type") == "application/vnd.apple.mpegurl")
    }

    @Test func rotatedKeysSignNewTokensAndOldOnesStillWork() async throws {
        let seed = try await SeedStore.shared.get()
        let old = try await seed.hlsURL("alice", seed.paidEpisode)
        let rotate = try seed.cli("keys", "rotate")
        #expect(rotate.succeeded, "\(rotate.stderr)")
        // The server re-reads the key file within a second.
        var fresh = try await seed.hlsURL("alice", seed.paidEpisode)
        let deadline = Date().addingTimeInterval(10)
        while fresh.contains(".k1."), Date() < deadline {
            try await Task.sleep(for: .milliseconds(200))
            fresh = try await seed.hlsURL("alice", seed.paidEpisode)
        }
        #expect(!fresh.contains(".k1."), "\(fresh)")
        #expect(try await http("GET", old).status == 200, "a token of the old key still plays")
        #expect(try await http("GET", fresh).status == 200)
    }

    @Test func revokingASubscriptionStopsIssuedTokensWithinAMinute() async throws {
        let seed = try await SeedStore.shared.get()
        let url = try await seed.hlsURL("dave", seed.paidEpisode)
        #expect(try await http("GET", url).status == 200)
        #expect(try seed.cli("subscriptions", "revoke", "dave").succeeded)
        #expect(try await statusOnceRefused(url) == 403)
        #expect(try await seed.playback("dave", seed.paidEpisode).status == 403)
    }

    @Test func suspendedAccountsStopPlayingAndCannotSignIn() async throws {
        let seed = try await SeedStore.shared.get()
        let url = try await seed.hlsURL("erin", seed.paidEpisode)
        let token = try await seed.token("erin")
        #expect(try seed.cli("users", "suspend", "erin").succeeded)
        #expect(try await statusOnceRefused(url) == 403)
        let me = try await http("GET", seed.base + "/api/v1/accounts/verify_credentials", headers: ["Authorization": "Bearer \(token)"])
        #expect(me.status == 401)
        await #expect(throws: TestFailure.self) { try await seed.token("erin") }
    }

    @Test func pathTricksNeverReachAnotherFile() async throws {
        let seed = try await SeedStore.shared.get()
        let url = try await seed.hlsURL("alice", seed.paidEpisode)
        let root = String(url.dropLast("master.m3u8".count))
        let tricks = [
            "../../veritas.sqlite", "%2e%2e/%2e%2e/veritas.sqlite", "%252e%252e/%252e%252e/veritas.sqlite",
            "..%2f..%2fveritas.sqlite", "..\\..\\veritas.sqlite", "..%5c..%5cveritas.sqlite", "360p/../../../veritas.sqlite",
            "360p/%2e%2e/key", "360p/s00000.ts%00.jpg", "secrets/asset-key-wrapping.key", "../secrets/token-keys.json",
            "360p/s0000.ts", "360p/index.m3u8/..", "audio/../master.m3u8", "%2fetc%2fpasswd", "360p/s00000.ts/../../key",
        ]
        for trick in tricks {
            // curl --path-as-is sends the path exactly as written, dots and all.
            let result = try run(["curl", "-s", "--path-as-is", "-o", "/dev/stdout", "-w", "\n%{http_code}", root + trick])
            let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            let status = Int(lines.last ?? "") ?? 0
            #expect([400, 403, 404].contains(status), "\(trick) answered \(status)")
            #expect(!result.stdout.contains("SQLite format"), "\(trick) leaked the database")
        }
    }
}
