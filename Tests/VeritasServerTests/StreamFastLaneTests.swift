// Playlists and segments answered in the NIO pipeline (`StreamFastLane`) look exactly like the
// router's answers, leave in the order requests came when a client pipelines, and are counted
// in /metrics under their route.
import Foundation
import TestSupport
import Testing

@Suite struct StreamFastLaneTests {
    @Test func pipelinedRequestsAreAnsweredInOrderWhicheverWayTheyGo() async throws {
        let seed = try await SeedStore.shared.get()
        let server = try ServerProcess(cli: seed.cli)
        defer { server.stop() }
        let root = try await Self.streamRoot(seed, server)
        let segment = try Data(contentsOf: seed.cli.mediaDirectory.appendingPathComponent("assets/\(seed.paidAsset)/360p/s00000.ts"))
        // The router owes the first answer when the playlist request arrives behind it.
        let requests = [
            "GET /api/v1/instance HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
            "GET \(root)360p/index.m3u8 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
            "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
            "GET \(root)360p/s00000.ts HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: bytes=0-99\r\n\r\n",
            "GET \(root)master.m3u8 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        ]
        let answers = try RawHTTP.exchange(port: server.port, sending: [requests.joined()])
        try #require(answers.count == 5)
        #expect(answers.map(\.status) == [200, 200, 200, 206, 200])
        #expect(answers[0].text.contains(#""uri""#))
        #expect(answers[1].text.hasPrefix("#EXTM3U") && answers[1].text.contains("#EXTINF"))
        #expect(answers[2].text == #"{"status":"ok"}"#)
        #expect(answers[3].body == segment.prefix(100))
        #expect(answers[4].text.contains("#EXT-X-STREAM-INF"))

        // One request at a time on one connection, alternating: each gets its own answer.
        let alternating = try RawHTTP.exchange(
            port: server.port,
            sending: [
                "GET \(root)360p/index.m3u8 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                "GET \(root)360p/s00000.ts HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                "GET \(root)nope.m3u8 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
            ])
        #expect(alternating.map(\.status) == [200, 200, 200, 404])
        #expect(alternating[2].body == segment)
        #expect(alternating[3].headers["content-type"]?.hasPrefix("application/json") == true)
    }

    @Test func answersCarryWhatTheMiddlewareAddsAndAreCounted() async throws {
        let seed = try await SeedStore.shared.get()
        let server = try ServerProcess(cli: seed.cli)
        defer { server.stop() }
        let root = server.baseURL + (try await Self.streamRoot(seed, server))

        let playlist = try await http("GET", root + "360p/index.m3u8")
        #expect(playlist.status == 200)
        #expect(playlist.headers["Content-Type"] == "application/vnd.apple.mpegurl")
        #expect(playlist.headers["Cache-Control"] == "private, no-store")
        #expect(playlist.headers["Content-Length"] == String(playlist.body.count))
        #expect(Self.isRequestID(playlist.headers["X-Request-Id"]))
        #expect(playlist.headers["Server"] == "Veritas" && playlist.headers["Date"]?.hasSuffix(" GMT") == true)
        let segment = try await http("GET", root + "360p/s00000.ts", headers: ["Range": "bytes=10-19"])
        #expect(segment.status == 206 && segment.body.count == 10)
        #expect(segment.headers["Cache-Control"] == "public, max-age=31536000, immutable")
        #expect(Self.isRequestID(segment.headers["X-Request-Id"]))
        // A page on another origin (a web player elsewhere) gets CORS headers.
        let crossOrigin = try await http("GET", root + "360p/index.m3u8", headers: ["Origin": "https://player.example"])
        #expect(crossOrigin.status == 200 && crossOrigin.headers["Access-Control-Allow-Origin"] == "*")

        let metrics = try await http("GET", server.baseURL + "/metrics").text
        let series = #"hb_requests{http_route="/play/{token}/**",http_request_method="GET",http_response_status_code="#
        #expect(metrics.contains(series + #""200"} 2"#), "the two playlist requests")
        #expect(metrics.contains(series + #""206"} 1"#), "the segment range")
        let served = metrics.split(separator: "\n").first { $0.hasPrefix("veritas_bytes_served_total ") }
        let bytes = served.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
        #expect(bytes >= Double(playlist.body.count * 2 + 10))
    }

    /// Hummingbird's request ids are hex: a random high half (not zero-padded) and a 16-digit
    /// counter.
    static func isRequestID(_ value: String?) -> Bool {
        guard let value else { return false }
        return (17...32).contains(value.count) && value.allSatisfy(\.isHexDigit)
    }

    /// The path of `alice`'s stream of the paid episode, up to and including the token's `/`.
    static func streamRoot(_ seed: Seed, _ server: ServerProcess) async throws -> String {
        let hls = try await seed.hlsURL("alice", seed.paidEpisode)
        let path = try #require(URL(string: hls)?.path)
        return String(path.dropLast("master.m3u8".count))
    }
}

/// HTTP/1.1 over a plain socket, for what URLSession hides: pipelining and exact answer order.
enum RawHTTP {
    struct Answer {
        let status: Int
        /// Lowercased names.
        let headers: [String: String]
        let body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// A connected TCP socket to 127.0.0.1:`port`, with a 10 s receive timeout.
    static func connect(port: Int) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw TestFailure("socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(socket)
            throw TestFailure("connect: \(errno)")
        }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return socket
    }

    /// Sends each chunk on one connection, waiting for one answer per request in it before the
    /// next, and returns every answer in the order it arrived (the last request should close).
    static func exchange(port: Int, sending chunks: [String]) throws -> [Answer] {
        let socket = try connect(port: port)
        defer { close(socket) }
        var received = Data(), answers: [Answer] = []
        for chunk in chunks {
            let expected = answers.count + chunk.components(separatedBy: "HTTP/1.1\r\n").count - 1
            _ = chunk.withCString { send(socket, $0, strlen($0), 0) }
            while answers.count < expected {
                if let (answer, length) = try parse(received) {
                    answers.append(answer)
                    received.removeFirst(length)
                    continue
                }
                var buffer = [UInt8](repeating: 0, count: 65_536)
                let count = recv(socket, &buffer, buffer.count, 0)
                guard count > 0 else { throw TestFailure("connection ended after \(answers.count) answers") }
                received.append(contentsOf: buffer[0..<count])
            }
        }
        return answers
    }

    /// The first complete answer in `data` and how many bytes it took, or nil if it is not all there.
    static func parse(_ data: Data) throws -> (Answer, Int)? {
        guard let end = data.range(of: Data("\r\n\r\n".utf8)) else { return nil }
        let head = String(decoding: data[data.startIndex..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        guard let statusLine = head.first, let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") else {
            throw TestFailure("no status line in \(head)")
        }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        let bodyStart = end.upperBound - data.startIndex
        guard data.count >= bodyStart + length else { return nil }
        let body = data.subdata(in: (data.startIndex + bodyStart)..<(data.startIndex + bodyStart + length))
        return (Answer(status: status, headers: headers, body: body), bodyStart + length)
    }
}
