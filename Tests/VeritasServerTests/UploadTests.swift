// Resumable uploads end to end: tuspy uploads through a server crash, the ingest job survives
// another, and the protocol's edge cases answer as tus 1.0 says.
import Foundation
import TestSupport
import Testing

/// A fresh installation (an admin, a viewer, a free published show) and its server.
private struct UploadSite {
    let cli: VeritasCLI
    var server: ServerProcess
    let environment: [String: String]

    init(environment: [String: String] = [:]) throws {
        cli = try VeritasCLI()
        self.environment = ["VERITAS_BCRYPT_COST": "4", "VERITAS_LADDER": "360:700000"].merging(environment) { $1 }
        for arguments in [
            ["users", "add", "root", "--email", "root@example.com", "--password", Seed.password, "--admin"],
            ["users", "add", "viewer", "--email", "viewer@example.com", "--password", Seed.password],
            ["shows", "add", "clips", "--title", "Clips", "--free"], ["shows", "publish", "clips"],
        ] {
            let result = try run([VeritasCLI.binary.path] + arguments, environment: cli.environment.merging(self.environment) { $1 })
            guard result.succeeded else { throw TestFailure("\(arguments): \(result.stderr)") }
        }
        server = try ServerProcess(cli: cli, environment: self.environment)
    }

    var base: String { server.baseURL }
    var uploads: String { base + "/api/v1/uploads" }

    /// Kills the server with SIGKILL (or stops it with SIGTERM) and starts a new one on the same port.
    mutating func crashAndRestart(graceful: Bool = false) throws {
        let port = server.port
        if graceful { server.stop() } else { server.crash() }
        server = try ServerProcess(cli: cli, arguments: ["serve", "--port", "\(port)"], environment: environment)
    }

    func token(_ user: String) async throws -> String {
        try await passwordGrant(base: base, user: user)
    }

    /// Waits until the asset is ready or failed and its job has finished, polling its status;
    /// returns the last answer.
    func waitForAsset(_ id: String, token: String, until done: (HTTPResult) -> Bool = Self.settled) async throws -> HTTPResult {
        let deadline = Date().addingTimeInterval(600)
        while Date() < deadline {
            let answer = try await http("GET", base + "/api/v1/assets/\(id)", headers: ["Authorization": "Bearer \(token)"])
            if done(answer) { return answer }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("asset \(id) never got there")
    }

    /// Creates an upload of `length` bytes (all of `bytes` by default) with `bytes` in the
    /// creation request itself (tus creation-with-upload).
    func upload(_ bytes: Data, token: String, metadata pairs: [String: String], length: Int? = nil) async throws -> HTTPResult {
        try await http(
            "POST", uploads,
            headers: [
                "Tus-Resumable": "1.0.0", "Authorization": "Bearer \(token)", "Upload-Length": "\(length ?? bytes.count)",
                "Content-Type": "application/offset+octet-stream", "Upload-Metadata": metadata(pairs),
            ], body: bytes)
    }

    static func settled(_ answer: HTTPResult) -> Bool {
        ["ready", "failed"].contains(answer.json["status"] as? String)
            && ["succeeded", "failed"].contains((answer.json["job"] as? [String: Any])?["state"] as? String)
    }
}

/// `Upload-Metadata` from plain pairs.
private func metadata(_ pairs: [String: String]) -> String {
    pairs.sorted { $0.key < $1.key }.map { "\($0.key) \(Data($0.value.utf8).base64EncodedString())" }.joined(separator: ",")
}

/// The decoded duration of what `url` plays, by the ffmpeg CLI.
private func playedDuration(_ url: String) throws -> Double {
    let decode = try run(["ffmpeg", "-v", "error", "-i", url, "-map", "0:v:0", "-f", "null", "-", "-progress", "pipe:1"])
    guard decode.succeeded, decode.stderr.isEmpty else { throw TestFailure("ffmpeg: \(decode.stderr)") }
    let times = decode.stdout.split(separator: "\n").compactMap { line -> Double? in
        guard line.hasPrefix("out_time_us=") else { return nil }
        return Double(line.dropFirst("out_time_us=".count)).map { $0 / 1_000_000 }
    }
    return times.last ?? 0
}

@Suite(.serialized) struct UploadTests {
    static let tus = ["Tus-Resumable": "1.0.0"]

    @Test func tuspyResumesAfterAServerCrashAndTheEpisodePlaysToTheEnd() async throws {
        var site = try UploadSite()
        let token = try await site.token("root")
        let source = try Fixtures.generated(
            "upload-source.mp4",
            ["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30:duration=9", "-f", "lavfi", "-i", "sine=frequency=330:duration=9",
             "-c:v", "libx264", "-preset", "ultrafast", "-qp", "10", "-c:a", "aac", "-shortest"])
        let size = try #require(try FileManager.default.attributesOfItem(atPath: source.path)[.size] as? Int)
        let chunk = 128 * 1024
        #expect(size > 6 * chunk, "the source is too small to interrupt: \(size) bytes")
        let storage = try Fixtures.scratchDirectory("tus-urls").appendingPathComponent("urls.json")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Clients/tus_upload.py").path
        func tuspy(_ extra: [String]) throws -> [String: Any] {
            let output = try runChecked(
                ["python3", script, site.uploads, token, source.path, storage.path, "--show", "clips", "--title", "Resumed", "--publish",
                 "--chunk", "\(chunk)"] + extra)
            return (try JSONSerialization.jsonObject(with: Data(output.utf8))) as? [String: Any] ?? [:]
        }

        // Three chunks acknowledged; then the server dies without warning in the middle of a
        // slow PATCH of the rest (sent by curl at 100 kB/s).
        let first = try tuspy(["--stop-after-chunks", "3"])
        #expect(first["offset"] as? Int == 3 * chunk, "\(first)")
        let rest = try Fixtures.scratchDirectory("upload-rest").appendingPathComponent("rest.bin")
        try Data(contentsOf: source).dropFirst(3 * chunk).write(to: rest)
        let slow = Process()
        slow.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        slow.arguments = [
            "curl", "-s", "-o", "/dev/null", "--limit-rate", "100k", "-X", "PATCH", first["url"] as? String ?? "",
            "-H", "Authorization: Bearer \(token)", "-H", "Tus-Resumable: 1.0.0", "-H", "Upload-Offset: \(3 * chunk)",
            "-H", "Content-Type: application/offset+octet-stream", "--data-binary", "@\(rest.path)",
        ]
        try slow.run()
        try await Task.sleep(for: .milliseconds(1500))
        try site.crashAndRestart()
        slow.waitUntilExit()

        // The client's own resume: HEAD says where to go on, and it finishes from there.
        let second = try tuspy([])
        #expect(second["url"] as? String == first["url"] as? String)
        #expect(second["resumed_from"] as? Int == 3 * chunk, "\(second)")
        #expect(second["offset"] as? Int == size, "\(second)")

        let url = try #require(second["url"] as? String)
        let head = try await http("HEAD", url, headers: Self.tus.merging(["Authorization": "Bearer \(token)"]) { $1 })
        #expect(head.status == 200 && head.header("Upload-Offset") == "\(size)", "\(head.status) \(head.headers)")
        let assetID = try #require(head.header("Veritas-Asset-Id"))
        let episodeID = try #require(head.header("Veritas-Episode-Id"))
        // Every byte arrived as sent.
        let stored = try Data(contentsOf: site.cli.mediaDirectory.appendingPathComponent("uploads").appendingPathComponent(String(url.split(separator: "/").last ?? "")))
        #expect(stored == (try Data(contentsOf: source)))

        let ready = try await site.waitForAsset(assetID, token: token)
        #expect(ready.json["status"] as? String == "ready", "\(ready.text)")
        #expect(ready.json["episode_id"] as? String == episodeID)
        // One upload made one episode and one job, whatever the crash interrupted.
        #expect(try site.cli.list("episodes", "list").count == 1)
        #expect(try site.cli.list("jobs", "list").map { $0["state"] as? String } == ["succeeded"])
        let playback = try await http("POST", site.base + "/api/v1/episodes/\(episodeID)/playback", headers: ["Authorization": "Bearer \(token)"])
        let hls = try #require(playback.json["hls_url"] as? String, "\(playback.status) \(playback.text)")
        let played = try playedDuration(hls)
        #expect(abs(played - 9) < 0.2, "played \(played) s of 9")
    }

    @Test func anUploadedEpisodeIsPlayableLongBeforeItsTranscodeEnds() async throws {
        let site = try UploadSite(environment: ["VERITAS_LADDER": "720:3000000,360:700000"])
        let token = try await site.token("root")
        let source = try Fixtures.video(width: 1280, height: 720, seconds: 40)
        let bytes = try Data(contentsOf: source)
        let created = try await site.upload(bytes, token: token, metadata: ["show": "clips", "title": "Early", "publish": "true"])
        let episodeID = try #require(created.header("Veritas-Episode-Id"), "\(created.status) \(created.text)")
        let assetID = try #require(created.header("Veritas-Asset-Id"))

        // Published as soon as every rendition has a segment: an EVENT playlist that grows.
        var playback = try await http("POST", site.base + "/api/v1/episodes/\(episodeID)/playback", headers: ["Authorization": "Bearer \(token)"])
        let deadline = Date().addingTimeInterval(300)
        while playback.status != 200, Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
            playback = try await http("POST", site.base + "/api/v1/episodes/\(episodeID)/playback", headers: ["Authorization": "Bearer \(token)"])
        }
        #expect(playback.json["processing"] as? Bool == true, "\(playback.status) \(playback.text)")
        // Asked at once, before ffprobe's few seconds: on a fast machine the rest of the
        // transcode can finish within them.
        let status = try await http("GET", site.base + "/api/v1/assets/\(assetID)", headers: ["Authorization": "Bearer \(token)"])
        #expect(status.json["status"] as? String == "processing", "\(status.text)")
        let hls = try #require(playback.json["hls_url"] as? String)
        let root = String(hls.dropLast("master.m3u8".count))
        let growing = try await http("GET", root + "720p/index.m3u8")
        #expect(growing.text.contains("#EXT-X-PLAYLIST-TYPE:EVENT") && !growing.text.contains("#EXT-X-ENDLIST"), "\(growing.text)")
        let probe = try HLSInspector.ffprobe(location: root + "720p/index.m3u8", ["-show_entries", "stream=codec_name,width,height"])
        #expect(((probe["streams"] as? [[String: Any]])?.first)?["width"] as? Int == 1280, "\(probe)")

        // When the transcode ends, the same URL is a VOD playlist with an end, and plays whole.
        let ready = try await site.waitForAsset(assetID, token: token)
        #expect(ready.json["status"] as? String == "ready", "\(ready.text)")
        let finished = try await http("GET", root + "720p/index.m3u8")
        #expect(finished.text.contains("#EXT-X-PLAYLIST-TYPE:VOD") && finished.text.hasSuffix("#EXT-X-ENDLIST\n"), "\(finished.text)")
        let master = try await http("GET", hls)
        #expect(master.text.contains("#EXT-X-I-FRAME-STREAM-INF"), "\(master.text)")
        let again = try await http("POST", site.base + "/api/v1/episodes/\(episodeID)/playback", headers: ["Authorization": "Bearer \(token)"])
        #expect(again.json["processing"] as? Bool == false)
        let played = try playedDuration(hls)
        #expect(abs(played - 40) < 0.2, "played \(played) s of 40")
    }

    @Test func anIngestThatFailsHalfWayWithdrawsTheEpisode() async throws {
        let site = try UploadSite()
        let token = try await site.token("root")
        // An MP4 whose index promises 30 s but whose data stops half way.
        let whole = try Fixtures.generated(
            "faststart-30s.mp4",
            ["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30:duration=30", "-c:v", "libx264", "-preset", "ultrafast",
             "-movflags", "+faststart"])
        let bytes = try Data(contentsOf: whole).prefix(try Data(contentsOf: whole).count / 2)
        let created = try await site.upload(Data(bytes), token: token, metadata: ["show": "clips", "title": "Cut short", "publish": "true"])
        let assetID = try #require(created.header("Veritas-Asset-Id"), "\(created.status) \(created.text)")
        let episodeID = try #require(created.header("Veritas-Episode-Id"))
        let failed = try await site.waitForAsset(assetID, token: token)
        #expect(failed.json["status"] as? String == "failed", "\(failed.text)")
        #expect((failed.json["failure_reason"] as? String)?.contains("truncated") == true, "\(failed.text)")
        // Nothing of it reaches viewers: no episode, no playback, no files, no announcement.
        let playback = try await http("POST", site.base + "/api/v1/episodes/\(episodeID)/playback", headers: ["Authorization": "Bearer \(token)"])
        #expect(playback.status == 404)
        #expect(try site.cli.list("episodes", "list").first?["published"] as? Bool == false)
        #expect(!site.cli.entries("assets").contains(assetID))
        let timeline = try await http("GET", site.base + "/api/v1/timelines/public")
        #expect(!timeline.text.contains(episodeID), "\(timeline.text)")
    }

    /// SIGKILL: the dead server's lease runs out and the next server takes the job over (a second
    /// attempt). SIGTERM: graceful shutdown hands the job back, and the attempt does not count.
    @Test(arguments: [false, true]) func anIngestInterruptedHalfWayResumesAfterARestartAndCompletes(graceful: Bool) async throws {
        var site = try UploadSite(environment: ["VERITAS_JOB_LEASE_SECONDS": "2", "VERITAS_LADDER": "720:3000000,360:700000"])
        let token = try await site.token("root")
        let source = try Fixtures.video(width: 1280, height: 720, seconds: 24)
        let bytes = try Data(contentsOf: source)
        let created = try await site.upload(bytes, token: token, metadata: ["show": "clips", "title": "Long one", "filename": "long.mp4"])
        #expect(created.status == 201 && created.header("Upload-Offset") == "\(bytes.count)", "\(created.status) \(created.text)")
        let assetID = try #require(created.header("Veritas-Asset-Id"))

        // Stop the server while the job is transcoding and some segments are published.
        let running = try await site.waitForAsset(assetID, token: token) { answer in
            answer.json["status"] as? String == "processing" && (answer.json["progress"] as? Double ?? 0) > 0.3
                || ["ready", "failed"].contains(answer.json["status"] as? String)
        }
        #expect(running.json["status"] as? String == "processing", "the ingest finished before it could be interrupted: \(running.text)")
        let playlist = site.cli.mediaDirectory.appendingPathComponent("assets/\(assetID)/720p/index.m3u8")
        func listed() -> Int { ((try? String(contentsOf: playlist, encoding: .utf8)) ?? "").components(separatedBy: "#EXTINF:").count - 1 }
        let before = listed()
        #expect(before >= 1)
        try site.crashAndRestart(graceful: graceful)

        // The second run writes the same segments again; players never see the playlist shrink.
        var shortest = Int.max
        var settled: HTTPResult?
        while settled == nil {
            shortest = min(shortest, listed())
            let answer = try await http("GET", site.base + "/api/v1/assets/\(assetID)", headers: ["Authorization": "Bearer \(token)"])
            if UploadSite.settled(answer) { settled = answer } else { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(shortest >= before, "the playlist went from \(before) segments down to \(shortest)")
        let ready = try #require(settled)
        #expect(ready.json["status"] as? String == "ready", "\(ready.text)")
        let job = try #require(ready.json["job"] as? [String: Any])
        #expect(job["state"] as? String == "succeeded" && job["attempts"] as? Int == (graceful ? 1 : 2), "\(job)")
        #expect(site.cli.entries("staging").isEmpty, "left in staging: \(site.cli.entries("staging"))")
        let jobs = try site.cli.list("jobs", "list")
        #expect(jobs.count == 1 && jobs.first?["state"] as? String == "succeeded", "\(jobs)")

        // A correct ladder: both rungs, decoded to the end by ffmpeg.
        let episodeID = try #require(ready.json["episode_id"] as? String)
        #expect(try site.cli("episodes", "publish", episodeID).succeeded)
        let playback = try await http("POST", site.base + "/api/v1/episodes/\(episodeID)/playback", headers: ["Authorization": "Bearer \(token)"])
        let hls = try #require(playback.json["hls_url"] as? String, "\(playback.text)")
        let master = try await http("GET", hls)
        #expect(master.text.contains("720p/index.m3u8") && master.text.contains("360p/index.m3u8"), "\(master.text)")
        let root = String(hls.dropLast("master.m3u8".count))
        for rung in ["720p", "360p"] {
            let played = try playedDuration(root + rung + "/index.m3u8")
            #expect(abs(played - 24) < 0.2, "\(rung) played \(played) s of 24")
        }
    }

    @Test func acknowledgedStatusesSurviveAKillInTheMiddleOfWrites() async throws {
        var site = try UploadSite()
        let token = try await site.token("root")
        let base = site.base, server = site.server
        let acknowledged = try await withThrowingTaskGroup(of: [String].self) { group in
            for writer in 0..<4 {
                group.addTask {
                    var ids: [String] = []
                    for index in 0..<200 {
                        guard let answer = try? await http(
                            "POST", base + "/api/v1/statuses", headers: ["Authorization": "Bearer \(token)"],
                            form: ["status": "writer \(writer) says \(index)"]), answer.status == 200,
                            let id = answer.json["id"] as? String
                        else { break }
                        ids.append(id)
                    }
                    return ids
                }
            }
            // Pull the plug while the writers are busy.
            try await Task.sleep(for: .milliseconds(1500))
            server.crash()
            var all: [String] = []
            for try await ids in group { all += ids }
            return all
        }
        #expect(acknowledged.count > 10, "too few writes before the kill: \(acknowledged.count)")
        try site.crashAndRestart()
        for id in acknowledged {
            let answer = try await http("GET", site.base + "/api/v1/statuses/\(id)", headers: ["Authorization": "Bearer \(token)"])
            #expect(answer.status == 200, "acknowledged status \(id) is gone: \(answer.status)")
        }
    }

    @Test func theProtocolAnswersAsTusSays() async throws {
        let site = try UploadSite(environment: ["VERITAS_UPLOAD_MAX_SIZE": "1000000"])
        let admin = try await site.token("root")
        let viewer = try await site.token("viewer")
        let good = metadata(["show": "clips", "title": "Edge", "filename": "edge.mp4"])
        func create(_ headers: [String: String], token: String? = nil, body: Data? = nil) async throws -> HTTPResult {
            var all = headers
            all["Authorization"] = "Bearer \(token ?? admin)"
            return try await http("POST", site.uploads, headers: all, body: body)
        }

        let options = try await http("OPTIONS", site.uploads)
        #expect(options.status == 204 && options.header("Tus-Version") == "1.0.0" && options.header("Tus-Max-Size") == "1000000")
        #expect(options.header("Tus-Extension")?.contains("creation") == true && options.header("Tus-Extension")?.contains("termination") == true)

        // Who may upload, and with which headers.
        let missingVersion = try await create(["Upload-Length": "10", "Upload-Metadata": good])
        #expect(missingVersion.status == 412 && missingVersion.header("Tus-Version") == "1.0.0")
        let anonymous = try await http("POST", site.uploads, headers: Self.tus.merging(["Upload-Length": "10", "Upload-Metadata": good]) { $1 })
        #expect(anonymous.status == 401 && anonymous.json["error"] != nil)
        let notAdmin = try await create(Self.tus.merging(["Upload-Length": "10", "Upload-Metadata": good]) { $1 }, token: viewer)
        #expect(notAdmin.status == 403 && notAdmin.header("Tus-Resumable") == "1.0.0")
        // Mistakes in the metadata are refused at creation, not after the upload.
        let unknownShow = try await create(Self.tus.merging(["Upload-Length": "10", "Upload-Metadata": metadata(["show": "nope", "title": "T"])]) { $1 })
        #expect(unknownShow.status == 400 && (unknownShow.json["error"] as? String)?.contains("nope") == true, "\(unknownShow.text)")
        let noTitle = try await create(Self.tus.merging(["Upload-Length": "10", "Upload-Metadata": metadata(["show": "clips"])]) { $1 })
        #expect(noTitle.status == 400)
        let badBase64 = try await create(Self.tus.merging(["Upload-Length": "10", "Upload-Metadata": "show !!!"]) { $1 })
        #expect(badBase64.status == 400)
        let noLength = try await create(Self.tus.merging(["Upload-Metadata": good]) { $1 })
        #expect(noLength.status == 400)
        let tooBig = try await create(Self.tus.merging(["Upload-Length": "1000001", "Upload-Metadata": good]) { $1 })
        #expect(tooBig.status == 413)

        // Creation, then PATCHes with the wrong type, the wrong offset, too many bytes.
        let created = try await create(Self.tus.merging(["Upload-Length": "100", "Upload-Metadata": good]) { $1 })
        #expect(created.status == 201, "\(created.text)")
        let location = try #require(created.header("Location"))
        #expect(location.hasPrefix(site.uploads + "/") && created.header("Upload-Expires") != nil)
        func patch(_ offset: Int, _ body: Data, type: String = "application/offset+octet-stream") async throws -> HTTPResult {
            try await http("PATCH", location, headers: Self.tus.merging([
                "Authorization": "Bearer \(admin)", "Upload-Offset": "\(offset)", "Content-Type": type,
            ]) { $1 }, body: body)
        }
        #expect(try await patch(0, Data(count: 10), type: "application/octet-stream").status == 415)
        let first = try await patch(0, Data(repeating: 1, count: 40))
        #expect(first.status == 204 && first.header("Upload-Offset") == "40")
        let stale = try await patch(0, Data(repeating: 1, count: 40))
        #expect(stale.status == 409 && stale.header("Tus-Resumable") == "1.0.0")
        let head = try await http("HEAD", location, headers: Self.tus.merging(["Authorization": "Bearer \(admin)"]) { $1 })
        #expect(head.status == 200 && head.header("Upload-Offset") == "40" && head.header("Upload-Length") == "100")
        #expect(head.header("Upload-Metadata") == good && head.header("Cache-Control") == "no-store")
        #expect(try await http("HEAD", location, headers: Self.tus.merging(["Authorization": "Bearer \(viewer)"]) { $1 }).status == 403)

        // Termination: the upload and its bytes are gone; later requests find nothing.
        let ended = try await http("DELETE", location, headers: Self.tus.merging(["Authorization": "Bearer \(admin)"]) { $1 })
        #expect(ended.status == 204)
        #expect(try await patch(40, Data(count: 10)).status == 404)
        #expect(try await http("HEAD", location, headers: Self.tus.merging(["Authorization": "Bearer \(admin)"]) { $1 }).status == 404)
        #expect(site.cli.entries("uploads").isEmpty, "\(site.cli.entries("uploads"))")
        let unknown = try await http("HEAD", site.uploads + "/..%2F..%2Fveritas.sqlite", headers: Self.tus.merging(["Authorization": "Bearer \(admin)"]) { $1 })
        #expect(unknown.status == 404)

        // Creation with upload; a body longer than the declared length is refused whole, at
        // creation and in a PATCH, and completes nothing.
        let uploadsBefore = site.cli.entries("uploads").count
        let overlong = try await create(
            Self.tus.merging(["Upload-Length": "5", "Upload-Metadata": good, "Content-Type": "application/offset+octet-stream"]) { $1 },
            body: Data(repeating: 7, count: 9))
        #expect(overlong.status == 413, "\(overlong.status) \(overlong.text)")
        #expect(site.cli.entries("uploads").count == uploadsBefore)
        let withBody = try await create(
            Self.tus.merging(["Upload-Length": "50", "Upload-Metadata": good, "Content-Type": "application/offset+octet-stream"]) { $1 },
            body: Data(repeating: 7, count: 20))
        #expect(withBody.status == 201 && withBody.header("Upload-Offset") == "20")
        let second = try #require(withBody.header("Location"))
        let tooMuch = try await http("PATCH", second, headers: Self.tus.merging([
            "Authorization": "Bearer \(admin)", "Upload-Offset": "20", "Content-Type": "application/offset+octet-stream",
        ]) { $1 }, body: Data(repeating: 8, count: 40))
        #expect(tooMuch.status == 413)
        let after = try await http("HEAD", second, headers: Self.tus.merging(["Authorization": "Bearer \(admin)"]) { $1 })
        #expect(after.header("Upload-Offset") == "20" && after.header("Veritas-Asset-Id") == nil, "\(after.headers)")
    }

    @Test func aKillInTheMiddleOfALongPatchKeepsEveryCheckpointedByte() async throws {
        var site = try UploadSite()
        let token = try await site.token("root")
        // 40 MiB of noise sent at 8 MB/s: the server makes it durable every 16 MiB.
        let file = try Fixtures.scratchDirectory("long-patch").appendingPathComponent("noise.bin")
        let noise = try #require(try FileHandle(forReadingFrom: URL(fileURLWithPath: "/dev/urandom")).read(upToCount: 40 << 20))
        try noise.write(to: file)
        let created = try await site.upload(Data(), token: token, metadata: ["show": "clips", "title": "Noise"], length: noise.count)
        let location = try #require(created.header("Location"), "\(created.status) \(created.text)")
        func patch(from offset: Int, rate: String?) throws -> Process {
            let rest = file.deletingLastPathComponent().appendingPathComponent("from-\(offset).bin")
            try noise.dropFirst(offset).write(to: rest)
            let curl = Process()
            curl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            curl.arguments = ["curl", "-s", "-o", "/dev/null", "-X", "PATCH", location, "-H", "Authorization: Bearer \(token)",
                              "-H", "Tus-Resumable: 1.0.0", "-H", "Upload-Offset: \(offset)",
                              "-H", "Content-Type: application/offset+octet-stream", "--data-binary", "@\(rest.path)"]
                + (rate.map { ["--limit-rate", $0] } ?? [])
            try curl.run()
            return curl
        }
        let slow = try patch(from: 0, rate: "8M")
        let auth = Self.tus.merging(["Authorization": "Bearer \(token)"]) { $1 }
        // Kill once the first checkpoint is recorded, before the second.
        var offset = 0
        let deadline = Date().addingTimeInterval(60)
        while offset == 0, Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
            offset = Int(try await http("HEAD", location, headers: auth).header("Upload-Offset") ?? "") ?? 0
        }
        try site.crashAndRestart()
        slow.waitUntilExit()

        let resumed = Int(try await http("HEAD", location, headers: auth).header("Upload-Offset") ?? "") ?? -1
        #expect(resumed >= 16 << 20 && resumed % (16 << 20) == 0 && resumed < noise.count, "resumed at \(resumed)")
        let rest = try patch(from: resumed, rate: nil)
        rest.waitUntilExit()
        let done = try await http("HEAD", location, headers: auth)
        #expect(done.header("Upload-Offset") == "\(noise.count)" && done.header("Veritas-Asset-Id") != nil, "\(done.headers)")
        let stored = try Data(contentsOf: site.cli.mediaDirectory.appendingPathComponent("uploads/\(location.split(separator: "/").last ?? "")"))
        #expect(stored == noise, "the stored file differs from what was sent")
    }

    @Test func anAbandonedUploadExpiresAndIsRemoved() async throws {
        let site = try UploadSite(environment: ["VERITAS_UPLOAD_EXPIRY": "2"])
        let token = try await site.token("root")
        let auth = Self.tus.merging(["Authorization": "Bearer \(token)"]) { $1 }
        let created = try await site.upload(Data(count: 300), token: token, metadata: ["show": "clips", "title": "Abandoned"], length: 1000)
        let location = try #require(created.header("Location"))
        #expect(created.header("Upload-Offset") == "300" && site.cli.entries("uploads").count == 1)
        // Gone (410) once expired, then swept away: the row and the bytes.
        try await Task.sleep(for: .milliseconds(2200))
        let expired = try await http("HEAD", location, headers: auth)
        #expect([410, 404].contains(expired.status), "\(expired.status)")
        let deadline = Date().addingTimeInterval(10)
        while !site.cli.entries("uploads").isEmpty, Date() < deadline { try await Task.sleep(for: .milliseconds(200)) }
        #expect(site.cli.entries("uploads").isEmpty, "\(site.cli.entries("uploads"))")
        #expect(try await http("HEAD", location, headers: auth).status == 404)
    }

    @Test func aFileThatIsNotMediaFailsItsJobWithAReason() async throws {
        let site = try UploadSite()
        let token = try await site.token("root")
        let garbage = Data("this is not a video at all".utf8)
        let created = try await site.upload(garbage, token: token, metadata: ["show": "clips", "title": "Junk", "publish": "true"])
        let assetID = try #require(created.header("Veritas-Asset-Id"), "\(created.status) \(created.text)")
        let failed = try await site.waitForAsset(assetID, token: token)
        #expect(failed.json["status"] as? String == "failed" && failed.json["failure_reason"] is String, "\(failed.text)")
        let job = try #require(failed.json["job"] as? [String: Any])
        // Bad media is not retried: another attempt would fail the same way.
        #expect(job["state"] as? String == "failed" && job["attempts"] as? Int == 1, "\(job)")
        let episodes = try site.cli.list("episodes", "list")
        #expect(episodes.first?["published"] as? Bool == false)
        // The operator can queue it again; it fails again, for the same reason.
        let jobID = try #require(job["id"] as? String)
        #expect(try site.cli("jobs", "retry", jobID).succeeded)
        let again = try await site.waitForAsset(assetID, token: token) { $0.json["status"] as? String == "failed" && ($0.json["job"] as? [String: Any])?["state"] as? String == "failed" }
        #expect((again.json["job"] as? [String: Any])?["attempts"] as? Int == 1)
        #expect(try site.cli("jobs", "retry", "12345").status != 0)
    }
}
