// SPEC §13 against a live server: hostile numbers, scopes, rate limits, secrets, connections,
// OAuth codes and what a stranger may see. After every hostile input the server still answers.
import Foundation
import TestSupport
import Testing
@testable import VeritasCore

@Suite struct HardeningTests {
    let clients = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Clients")

    /// The server answers `/health` (it did not exit or wedge).
    func expectAlive(_ base: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        #expect(try await http("GET", base + "/health").status == 200, "the server is down", sourceLocation: sourceLocation)
    }

    /// Adds a user to the seed's installation (bcrypt cost 4, the seed's password).
    func addUser(_ seed: Seed, _ name: String, admin: Bool = false) throws {
        let result = try run(
            [VeritasCLI.binary.path, "users", "add", name, "--email", "\(name)@example.com", "--password", Seed.password] + (admin ? ["--admin"] : []),
            environment: seed.cli.environment.merging(["VERITAS_BCRYPT_COST": "4"]) { $1 })
        #expect(result.succeeded, "\(result.stderr)")
    }

    /// Runs a client script of `Clients/` and expects it to finish with "ok".
    func expectPythonOK(_ script: String, _ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let result = try await runOnOwnThread(["python3", clients.appendingPathComponent(script).path] + arguments)
        #expect(result.succeeded && result.stdout.hasSuffix("ok\n"), "\(result.stdout)\n\(result.stderr)", sourceLocation: sourceLocation)
    }

    @Test func idsAndOffsetsAtTheEdgeOfTheIntegerRangeAreRefusedNotFatal() async throws {
        let seed = try await SeedStore.shared.get()
        let auth = ["Authorization": "Bearer \(try await seed.token("bob"))"]
        for id in ["9223372036854775807", "9223372036854775808", "-1", "0", "+5", "0x10", "1e3", " 7", "99999999999999999999999"] {
            let encoded = id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id
            for path in ["/api/v1/notifications/\(encoded)", "/api/v1/statuses/\(encoded)", "/api/v1/statuses/\(encoded)/context"] {
                let answer = try await http("GET", seed.base + path, headers: auth)
                #expect(answer.status == 404, "\(path): \(answer.status)")
            }
            let dismissed = try await http("POST", seed.base + "/api/v1/notifications/\(encoded)/dismiss", headers: auth)
            #expect(dismissed.status < 500, "dismiss \(id): \(dismissed.status)")
            let paged = try await http("GET", seed.base + "/api/v1/timelines/public?max_id=\(encoded)&limit=\(encoded)")
            #expect((200..<500).contains(paged.status) && paged.status != 500, "paging with \(id): \(paged.status)")
        }
        #expect(try await http("GET", seed.base + "/api/v1/timelines/public?limit=99999999999999999999").status == 200)
        try await expectAlive(seed.base)

        let admin = ["Authorization": "Bearer \(try await seed.token("admin"))", "Tus-Resumable": "1.0.0"]
        let meta = "show \(Data("tonight".utf8).base64EncodedString()),title \(Data("Edge".utf8).base64EncodedString())"
        for length in ["9223372036854775807", "99999999999999999999", "-5", "1e9"] {
            let created = try await http("POST", seed.base + "/api/v1/uploads", headers: admin.merging(["Upload-Length": length, "Upload-Metadata": meta]) { $1 })
            #expect([400, 413].contains(created.status), "Upload-Length \(length): \(created.status)")
        }
        let created = try await http("POST", seed.base + "/api/v1/uploads", headers: admin.merging(["Upload-Length": "10", "Upload-Metadata": meta]) { $1 })
        let location = try #require(created.header("Location"))
        for offset in ["9223372036854775807", "9223372036854775800", "99999999999999999999", "-1", "11"] {
            let patched = try await http(
                "PATCH", location, headers: admin.merging(["Upload-Offset": offset, "Content-Type": "application/offset+octet-stream"]) { $1 },
                body: Data("0123456789".utf8))
            #expect([400, 409, 413].contains(patched.status), "Upload-Offset \(offset): \(patched.status)")
        }
        try await expectAlive(seed.base)
        _ = try await http("DELETE", location, headers: admin)
    }

    @Test func aReadTokenCannotWriteAndAppsGrantNoMoreThanTheyRegistered() async throws {
        let seed = try await SeedStore.shared.get()
        try addUser(seed, "reader")
        try addUser(seed, "writer")
        try await expectPythonOK("mastodon_scopes.py", seed.base, "scopes", Seed.password, "reader", "writer")
        // An admin's read token is still refused admin writes; a user's admin scopes grant nothing.
        let adminRead = try await passwordGrant(base: seed.base, user: "admin", scopes: "read admin:read")
        let upload = try await http(
            "POST", seed.base + "/api/v1/uploads", headers: ["Authorization": "Bearer \(adminRead)", "Tus-Resumable": "1.0.0", "Upload-Length": "1"])
        #expect(upload.status == 403 && upload.json["error"] as? String == "This action is outside the authorized scopes")
        let bobAll = try await passwordGrant(base: seed.base, user: "bob")
        let asset = try await http("GET", seed.base + "/api/v1/assets/\(seed.paidAsset)", headers: ["Authorization": "Bearer \(bobAll)"])
        #expect(asset.status == 403)
        // Unknown scopes are refused at registration.
        let bogus = try await http("POST", seed.base + "/api/v1/apps", form: ["client_name": "bogus", "scopes": "read everything"])
        #expect(bogus.status == 422)
    }

    @Test func favouritedByAndRebloggedByListWhoDidIt() async throws {
        let seed = try await SeedStore.shared.get()
        // Accounts of its own: other tests suspend some of the seed's.
        try addUser(seed, "author")
        try addUser(seed, "admirer")
        try await expectPythonOK("mastodon_scopes.py", seed.base, "actors", Seed.password, "author", "admirer")
    }

    @Test func statusesAndFollowsAreLimitedPerAccount() async throws {
        let seed = try await SeedStore.shared.get()
        try addUser(seed, "prolific")
        try addUser(seed, "bystander")
        let target = try #require(try seed.cli.list("users", "list").first { $0["username"] as? String == "bystander" }?["id"] as? String)
        try await expectPythonOK("mastodon_scopes.py", seed.base, "limits", Seed.password, "prolific", target)
        // The limit is the account's: another account posts on.
        let other = try await http(
            "POST", seed.base + "/api/v1/statuses", headers: ["Authorization": "Bearer \(try await seed.token("bystander"))"],
            form: ["status": "still allowed", "visibility": "private"])
        #expect(other.status == 200)
    }

    @Test func catalogListsArePaged() async throws {
        let seed = try await SeedStore.shared.get()
        let all = try await http("GET", seed.base + "/api/v1/shows")
        #expect(all.status == 200 && all.jsonArray.count >= 4 && all.header("Link") == nil)
        var seen: [String] = []
        var next: String? = seed.base + "/api/v1/shows?limit=1"
        while let url = next, seen.count < 20 {
            let page = try await http("GET", url)
            #expect(page.jsonArray.count == 1)
            seen += page.jsonArray.compactMap { $0["id"] as? String }
            next = page.header("Link").flatMap { $0.split(separator: ">").first.map { String($0.dropFirst()) } }
        }
        #expect(seen == all.jsonArray.compactMap { $0["id"] as? String }, "following Link pages through every show once")
        #expect(try await http("GET", seed.base + "/api/v1/shows?offset=-1").status == 400)
        #expect(try await http("GET", seed.base + "/api/v1/shows?offset=99999999999").jsonArray.isEmpty)
    }

    @Test func oversizedStatusFieldsAreRefusedWhateverTheCharacterCountSays() async throws {
        let seed = try await SeedStore.shared.get()
        let auth = ["Authorization": "Bearer \(try await seed.token("carol"))"]
        let longLink = "https://example.com/" + String(repeating: "a", count: 900_000)
        let cases: [[String: String]] = [
            ["status": longLink], ["status": "hi", "language": String(repeating: "x", count: 900_000)], ["status": "hi", "language": "en US"],
            ["status": "hi", "spoiler_text": String(repeating: "s", count: 501)], ["status": String(repeating: "@a ", count: 2_000)],
        ]
        for form in cases {
            let answer = try await http("POST", seed.base + "/api/v1/statuses", headers: auth, form: form)
            #expect([413, 422].contains(answer.status) && answer.json["error"] != nil, "\(answer.status) \(answer.text.prefix(200))")
        }
        let fine = try await http("POST", seed.base + "/api/v1/statuses", headers: auth, form: ["status": "short", "language": "pt-BR", "visibility": "private"])
        #expect(fine.status == 200 && fine.json["language"] as? String == "pt-BR", "\(fine.text)")
        try await expectAlive(seed.base)
    }

    @Test func aThreadShowsAtMostTwoHundredReplies() async throws {
        let seed = try await SeedStore.shared.get()
        try addUser(seed, "threader")
        let auth = ["Authorization": "Bearer \(try await seed.token("threader"))"]
        let root = try await http("POST", seed.base + "/api/v1/statuses", headers: auth, form: ["status": "root", "visibility": "private"])
        var parent = try #require(root.json["id"] as? String)
        let rootID = parent
        for index in 0..<205 {
            let reply = try await http(
                "POST", seed.base + "/api/v1/statuses", headers: auth,
                form: ["status": "reply \(index)", "in_reply_to_id": parent, "visibility": "private"])
            parent = try #require(reply.json["id"] as? String, "\(reply.text)")
        }
        let context = try await http("GET", seed.base + "/api/v1/statuses/\(rootID)/context", headers: auth)
        let descendants = try #require(context.json["descendants"] as? [[String: Any]])
        #expect(descendants.count == 200)
    }

    @Test func failedLoginsCountPerAccountWhateverTheSpellingAndDoNotLockOutItsOwner() async throws {
        let seed = try await SeedStore.shared.get()
        try addUser(seed, "guarded")
        let app = try await http("POST", seed.base + "/api/v1/apps", form: ["client_name": "guess", "scopes": "read"])
        func attempt(_ login: String, _ password: String, from address: String) async throws -> HTTPResult {
            try await http("POST", seed.base + "/oauth/token", headers: ["X-Forwarded-For": address], form: [
                "grant_type": "password", "client_id": app.json["client_id"] as? String ?? "",
                "client_secret": app.json["client_secret"] as? String ?? "", "username": login, "password": password,
            ])
        }
        // The owner signs in once from home.
        #expect(try await attempt("guarded", Seed.password, from: "203.0.113.10").status == 200)
        // A stranger guesses from ten addresses, spelling the login ten ways.
        let spellings = ["guarded", "GUARDED", " guarded", "guarded ", "Guarded", "guarded@example.com", "GUARDED@EXAMPLE.COM", " Guarded@Example.com", "gUaRdEd", "guarded\t"]
        for (index, spelling) in spellings.enumerated() {
            #expect(try await attempt(spelling, "wrong-\(index)", from: "198.51.100.\(index + 1)").status == 400)
        }
        let limited = try await attempt("Guarded@example.com", Seed.password, from: "198.51.100.77")
        #expect(limited.status == 429 && Int(limited.header("Retry-After") ?? "") ?? 0 > 0, "\(limited.status)")
        #expect(limited.header("X-RateLimit-Limit") == "10" && limited.header("X-RateLimit-Remaining") == "0")
        // The owner is not locked out from the address it signed in from before.
        #expect(try await attempt("guarded", Seed.password, from: "203.0.113.10").status == 200)
        // A forwarded address from an untrusted peer is ignored: tested by `failedLoginsAreRateLimited`.
    }

    @Test func signUpsAreLimitedPerAddress() async throws {
        let seed = try await SeedStore.shared.get()
        /// Six sign-ups through `base`, each claiming to come from `forwarded(index)`.
        func signUps(_ base: String, forwarded: (Int) -> String) async throws -> [Int] {
            let app = try await http("POST", base + "/api/v1/apps", form: ["client_name": "signups", "scopes": "read write"])
            let grant = try await http("POST", base + "/oauth/token", form: [
                "grant_type": "client_credentials", "client_id": app.json["client_id"] as? String ?? "",
                "client_secret": app.json["client_secret"] as? String ?? "",
            ])
            let bearer = try #require(grant.json["access_token"] as? String)
            var statuses: [Int] = []
            for index in 0..<6 {
                let name = "joiner\(index)\(Int.random(in: 10_000...99_999))"
                statuses.append(try await http(
                    "POST", base + "/api/v1/accounts", headers: ["Authorization": "Bearer \(bearer)", "X-Forwarded-For": forwarded(index)],
                    form: ["username": name, "email": "\(name)@example.com", "password": "a-long-password", "agreement": "true"]
                ).status)
            }
            return statuses
        }
        // Behind a trusted proxy (the seed's server trusts loopback), the forwarded address counts.
        #expect(try await signUps(seed.base) { _ in "192.0.2.99" } == [200, 200, 200, 200, 200, 429])
        // From an untrusted peer, a forged X-Forwarded-For changes nothing: the peer counts.
        let server = try ServerProcess(cli: seed.cli)
        defer { server.stop() }
        #expect(try await signUps(server.baseURL) { "192.0.2.\($0 + 1)" } == [200, 200, 200, 200, 200, 429])
    }

    @Test func tokensNeverReachTheLogAndMediaIsOwnerOnly() async throws {
        let seed = try await SeedStore.shared.get()
        let server = try ServerProcess(cli: seed.cli, environment: ["VERITAS_LOG_LEVEL": "info"])
        defer { server.stop() }
        let token = try await passwordGrant(base: server.baseURL, user: "alice")
        let playback = try await http(
            "POST", server.baseURL + "/api/v1/episodes/\(seed.paidEpisode)/playback", headers: ["Authorization": "Bearer \(token)"])
        let hls = try #require(playback.json["hls_url"] as? String).replacingOccurrences(of: seed.base, with: server.baseURL)
        let playToken = try #require(hls.components(separatedBy: "/play/").last?.split(separator: "/").first.map(String.init))
        #expect(try await http("GET", hls).status == 200)
        #expect(try await http("GET", hls.replacingOccurrences(of: "master.m3u8", with: "360p/index.m3u8")).status == 200)
        #expect(try await http("GET", hls.replacingOccurrences(of: "master.m3u8", with: "nothing-here")).status == 404)
        let feed = try await http("GET", server.baseURL + "/api/v1/shows/insider/feed", headers: ["Authorization": "Bearer \(token)"])
        let rss = try #require(feed.json["rss_url"] as? String).replacingOccurrences(of: seed.base, with: server.baseURL)
        let feedToken = try #require(rss.components(separatedBy: "/podcasts/private/").last?.split(separator: "/").first.map(String.init))
        #expect(try await http("GET", rss).status == 200)
        _ = try await http("GET", server.baseURL + "/oauth/authorize?client_id=x&code=secret-code-123&access_token=\(token)")
        server.stop()
        let log = try String(contentsOf: seed.cli.mediaDirectory.appendingPathComponent("server.log"), encoding: .utf8)
        #expect(log.contains("/play/…/master.m3u8"), "the request log shows playback requests")
        for secret in [playToken, feedToken, token, "secret-code-123"] { #expect(!log.contains(secret), "a token reached the log") }

        var loose: [String] = []
        let root = seed.cli.mediaDirectory
        for case let url as URL in FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) ?? .init() {
            // Other tests add and remove files meanwhile.
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path) else { continue }
            guard url.lastPathComponent != "server.log", attributes[.type] as? FileAttributeType != .typeSymbolicLink else { continue }
            let mode = (attributes[.posixPermissions] as? Int ?? 0) & 0o777
            let wanted = attributes[.type] as? FileAttributeType == .typeDirectory ? 0o700 : 0o600
            if mode != wanted { loose.append("\(url.path.dropFirst(root.path.count)) \(String(mode, radix: 8))") }
        }
        #expect(loose.isEmpty, "not owner-only: \(loose.prefix(10))")
    }

    @Test func anExistingInstallationIsMadeOwnerOnlyOnStart() async throws {
        let cli = try VeritasCLI()
        #expect(try cli("plans", "list").succeeded)
        let root = cli.mediaDirectory
        let marker = root.appendingPathComponent(".owner-only")
        try FileManager.default.removeItem(at: marker)
        let old = root.appendingPathComponent("assets/old-file")
        FileManager.default.createFile(atPath: old.path, contents: Data("x".utf8), attributes: [.posixPermissions: 0o644])
        chmod(root.appendingPathComponent("assets").path, 0o755)
        chmod(root.appendingPathComponent("veritas.sqlite").path, 0o644)
        #expect(try cli("plans", "list").succeeded)
        func mode(_ path: String) throws -> Int { (try FileManager.default.attributesOfItem(atPath: root.appendingPathComponent(path).path)[.posixPermissions] as? Int ?? 0) & 0o777 }
        #expect(try mode("assets/old-file") == 0o600 && mode("assets") == 0o700 && mode("veritas.sqlite") == 0o600 && mode(".") == 0o700)
    }

    @Test func clientSecretsAreStoredAsDigests() async throws {
        let seed = try await SeedStore.shared.get()
        let app = try await http("POST", seed.base + "/api/v1/apps", form: ["client_name": "digest check"])
        let secret = try #require(app.json["client_secret"] as? String)
        let script = "import sqlite3,sys; print('\\n'.join(str(r) for r in sqlite3.connect(sys.argv[1]).execute('SELECT * FROM oauthApp')))"
        let rows = try runChecked(["python3", "-c", script, seed.cli.mediaDirectory.appendingPathComponent("veritas.sqlite").path])
        #expect(rows.contains(SecretToken.digest(secret)) && !rows.contains(secret))
    }

    @Test func retiredKeysAndFarFutureExpiriesAreRefused() async throws {
        // An installation of its own: retiring the seed's signing key would refuse the tokens
        // that other tests are playing with.
        let cli = try VeritasCLI()
        let quick = ["VERITAS_BCRYPT_COST": "4"]
        for arguments in [
            ["shows", "add", "keyed", "--title", "Keyed", "--kind", "podcast", "--free"], ["shows", "publish", "keyed"],
            ["ingest", try Fixtures.audio(seconds: 2).path, "--show", "keyed", "--title", "Short", "--publish"],
            ["users", "add", "listener", "--email", "listener@example.com", "--password", Seed.password],
        ] {
            let result = try run([VeritasCLI.binary.path] + arguments, environment: cli.environment.merging(quick) { $1 })
            #expect(result.succeeded, "\(arguments): \(result.stderr)")
        }
        let server = try ServerProcess(cli: cli)
        defer { server.stop() }
        let episode = try #require(try cli.list("episodes", "list").first?["id"] as? String)
        let bearer = try await passwordGrant(base: server.baseURL, user: "listener")
        func hlsURL() async throws -> String {
            let answer = try await http("POST", server.baseURL + "/api/v1/episodes/\(episode)/playback", headers: ["Authorization": "Bearer \(bearer)"])
            return try #require(answer.json["hls_url"] as? String, "\(answer.text)")
        }
        let url = try await hlsURL()
        #expect(try await http("GET", url).status == 200)

        let ring = try TokenKeyRing.load(file: cli.mediaDirectory.appendingPathComponent("secrets/token-keys.json"), environment: [:])
        let accountID = try #require(try cli.list("users", "list").first?["id"] as? String)
        let assetID = try #require(try cli.list("episodes", "list").first?["asset_id"] as? String)
        let far = Int64(Date().timeIntervalSince1970) + 7 * 86_400
        let forged = TokenSigner(keyRing: ring).sign(accountID: accountID, assetID: assetID, expiresAt: far)
        #expect(try await http("GET", server.baseURL + "/play/\(forged)/master.m3u8").status == 403, "an expiry past the TTL is refused")

        let signing = try #require(try cli.list("keys", "list").last?["id"] as? String)
        let refusedWhileSigning = try cli("keys", "retire", signing)
        #expect(!refusedWhileSigning.succeeded && refusedWhileSigning.stderr.contains("rotate"))
        #expect(try cli("keys", "rotate").succeeded)
        let keys = try cli.list("keys", "list")
        #expect(keys.count == 2 && keys.last?["signs"] as? Bool == true && keys.allSatisfy { $0["secret"] == nil })
        #expect(try await http("GET", url).status == 200, "a rotated key still verifies")
        #expect(try cli("keys", "retire", signing).succeeded)
        let deadline = Date().addingTimeInterval(60)
        var status = 200
        while status == 200, Date() < deadline {
            try await Task.sleep(for: .milliseconds(250))
            status = try await http("GET", url).status
        }
        #expect(status == 403, "a retired key's token is refused within 60 s")
        #expect(try await http("GET", try await hlsURL()).status == 200, "new tokens play")
        #expect(try !cli("keys", "retire", "k999").succeeded)
    }

    @Test func connectionsThatStallAreClosed() async throws {
        let seed = try await SeedStore.shared.get()
        try await expectPythonOK("hostile_http.py", seed.base, "slow-head")
        try await expectAlive(seed.base)
    }

    @Test func malformedBodiesAreClientErrorsWithShortLogLines() async throws {
        let seed = try await SeedStore.shared.get()
        try await expectPythonOK("hostile_http.py", seed.base, "bad-form")
        try await expectAlive(seed.base)
        let log = try String(contentsOf: seed.cli.mediaDirectory.appendingPathComponent("server.log"), encoding: .utf8)
        #expect(log.split(separator: "\n").allSatisfy { $0.count < 4_000 }, "a log line grew with the input")
    }

    @Test func signingInRedirectsOnlyWithinThisServerAndPagesCannotBeFramed() async throws {
        let seed = try await SeedStore.shared.get()
        let form = try await http("GET", seed.base + "/login")
        #expect(form.header("Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
        #expect(form.header("X-Content-Type-Options") == "nosniff")
        let csrf = try #require(form.text.range(of: #"name="csrf_token" value="([^"]+)""#, options: .regularExpression).map {
            String(form.text[$0].split(separator: "\"")[3])
        })
        let cookie = try #require(form.header("Set-Cookie")?.split(separator: ";").first.map(String.init))
        for next in ["/\t/evil.example", "//evil.example", "/\\evil.example", "https://evil.example/", "/\n/evil.example", " //evil.example", "/\u{200B}/evil.example"] {
            let answer = try await noRedirect(seed.base + "/login", cookie: cookie, form: [
                "username": "alice", "password": Seed.password, "csrf_token": csrf, "next": next,
            ])
            #expect(answer.status == 303 || answer.status == 302, "\(answer.status)")
            #expect(answer.location == "/", "next \(next.debugDescription) sent the browser to \(answer.location ?? "nowhere")")
        }
        let fine = try await noRedirect(seed.base + "/login", cookie: cookie, form: [
            "username": "alice", "password": Seed.password, "csrf_token": csrf, "next": "/feed?x=1",
        ])
        #expect(fine.location == "/feed?x=1")
    }

    /// A form POST whose redirect is not followed.
    func noRedirect(_ url: String, cookie: String, form: [String: String]) async throws -> (status: Int, location: String?) {
        let body = form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
        let output = try runChecked([
            "curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "-H", "Cookie: \(cookie)", "--data-binary", body, url,
        ])
        let parts = output.split(separator: " ", maxSplits: 1)
        let status = Int(parts.first ?? "") ?? 0
        let location = parts.count > 1 ? String(parts[1]).replacingOccurrences(of: url.replacingOccurrences(of: "/login", with: ""), with: "") : nil
        return (status, location)
    }

    @Test func anAuthorizationCodeFromTheWrongClientIsRefusedWithoutBeingUsedUp() async throws {
        let seed = try await SeedStore.shared.get()
        func app(_ name: String) async throws -> (id: String, secret: String) {
            let made = try await http("POST", seed.base + "/api/v1/apps", form: ["client_name": name, "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read"])
            return (made.json["client_id"] as? String ?? "", made.json["client_secret"] as? String ?? "")
        }
        let (mine, other) = (try await app("mine"), try await app("other"))
        let page = try await http("GET", seed.base + "/oauth/authorize?response_type=code&client_id=\(mine.id)&redirect_uri=urn:ietf:wg:oauth:2.0:oob&scope=read")
        let csrf = try #require(page.text.range(of: #"name="csrf_token" value="([^"]+)""#, options: .regularExpression).map {
            String(page.text[$0].split(separator: "\"")[3])
        })
        let granted = try await http("POST", seed.base + "/oauth/authorize", headers: ["Cookie": "veritas_csrf=\(csrf)"], form: [
            "client_id": mine.id, "redirect_uri": "urn:ietf:wg:oauth:2.0:oob", "scope": "read", "username": "bob", "password": Seed.password,
            "csrf_token": csrf,
        ])
        let code = try #require(granted.text.range(of: #"<code>([^<]+)</code>"#, options: .regularExpression).map {
            String(granted.text[$0].dropFirst(6).dropLast(7))
        })
        func exchange(_ client: (id: String, secret: String), redirect: String?) async throws -> Int {
            var form = ["grant_type": "authorization_code", "code": code, "client_id": client.id, "client_secret": client.secret]
            form["redirect_uri"] = redirect
            return try await http("POST", seed.base + "/oauth/token", form: form).status
        }
        #expect(try await exchange(other, redirect: "urn:ietf:wg:oauth:2.0:oob") == 400)
        #expect(try await exchange(mine, redirect: "https://elsewhere.example/") == 400)
        #expect(try await exchange(mine, redirect: nil) == 400)
        #expect(try await exchange(mine, redirect: "urn:ietf:wg:oauth:2.0:oob") == 200, "the code still works for its own client")
    }

    @Test func anUnpublishedShowsFeedAccountIsInvisible() async throws {
        let seed = try await SeedStore.shared.get()
        #expect(try seed.cli("shows", "add", "secret-launch", "--title", "Secret Launch Title", "--free").succeeded)
        let lookup = try await http("GET", seed.base + "/api/v1/accounts/lookup?acct=secret_launch")
        #expect(lookup.status == 404 && !lookup.text.contains("Secret Launch"), "\(lookup.text)")
        let published = try await http("GET", seed.base + "/api/v1/accounts/lookup?acct=tonight")
        #expect(published.status == 200)
        let id = try #require(published.json["id"] as? String)
        #expect(try await http("GET", seed.base + "/api/v1/accounts/\(id)").status == 200)
    }

    @Test func metricsAnswerAdminsAndTheAllowedAddressesOnly() async throws {
        let seed = try await SeedStore.shared.get()
        #expect(try await http("GET", seed.base + "/metrics").status == 200, "loopback is allowed by default")
        let bob = try await http("GET", seed.base + "/metrics", headers: ["Authorization": "Bearer \(try await seed.token("bob"))"])
        #expect(bob.status == 403)
        let admin = try await http("GET", seed.base + "/metrics", headers: ["Authorization": "Bearer \(try await seed.token("admin"))"])
        #expect(admin.status == 200 && admin.text.contains("veritas_"))
        let server = try ServerProcess(cli: seed.cli, environment: ["VERITAS_METRICS_ALLOW": "10.0.0.0/8"])
        defer { server.stop() }
        #expect(try await http("GET", server.baseURL + "/metrics").status == 403)
        #expect(try await http("GET", server.baseURL + "/metrics", headers: ["X-Forwarded-For": "10.1.1.1"]).status == 403)
    }

    @Test func anAudioEpisodeWithoutCoverArtStillHasAPoster() async throws {
        let seed = try await SeedStore.shared.get()
        let answer = try await seed.playback("alice", seed.paidPodcastEpisode)
        let poster = try #require(answer.json["poster_url"] as? String, "\(answer.text)")
        let probe = try runChecked(["ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", poster])
        #expect(probe.hasPrefix("mjpeg,"), "\(probe)")
    }
}
