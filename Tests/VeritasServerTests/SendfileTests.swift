// Segments leave through sendfile(2): exact bytes for ranges deep in a large file, and clients
// that hang up mid-file leave no open file behind and the server serving.
import Foundation
import TestSupport
import Testing

@Suite struct SendfileTests {
    @Test func clientsLeavingMidFileLeaveNoOpenFileAndTheServerServing() async throws {
        let seed = try await SeedStore.shared.get()
        let server = try ServerProcess(cli: seed.cli)
        defer { server.stop() }
        let hls = try await seed.hlsURL("alice", seed.paidEpisode)
        let root = server.baseURL + "/play/" + (hls.components(separatedBy: "/play/").last ?? "").replacingOccurrences(of: "master.m3u8", with: "")
        // A large segment (no real one is): bigger than any socket buffer, with bytes that tell offsets apart.
        let name = "s9\(Int.random(in: 1000...9999)).ts"
        let file = seed.cli.mediaDirectory.appendingPathComponent("assets/\(seed.paidAsset)/360p/\(name)")
        let content = Data((0..<(24 << 20)).map { UInt8(truncatingIfNeeded: $0 % 251) })
        try content.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        let tail = try await http("GET", root + "360p/" + name, headers: ["Range": "bytes=\(content.count - 70_000)-\(content.count - 1_001)"])
        #expect(tail.status == 206 && tail.body == content.subdata(in: (content.count - 70_000)..<(content.count - 1_000)))

        let request = "GET \(URL(string: root + "360p/" + name)?.path ?? "") HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        let port = try #require(URL(string: server.baseURL)?.port)
        for _ in 0..<10 { try abandonedDownload(port: port, request: request) }

        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, openDescriptors(of: file, in: server.processIdentifier) > 0 {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(openDescriptors(of: file, in: server.processIdentifier) == 0, "every abandoned download closed its file")
        let whole = try await http("GET", root + "360p/s00000.ts")
        let onDisk = try Data(contentsOf: seed.cli.mediaDirectory.appendingPathComponent("assets/\(seed.paidAsset)/360p/s00000.ts"))
        #expect(whole.status == 200 && whole.body == onDisk, "the server still serves")
    }

    /// Sends `request` on a new connection, reads a little of the answer and hangs up.
    func abandonedDownload(port: Int, request: String) throws {
        let socket = try RawHTTP.connect(port: port)
        defer { close(socket) }
        _ = request.withCString { send(socket, $0, strlen($0), 0) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        guard recv(socket, &buffer, buffer.count, 0) > 0 else { throw TestFailure("no answer") }
    }

    /// How many descriptors process `pid` holds on `file`.
    func openDescriptors(of file: URL, in pid: Int32) -> Int {
        let folder = "/proc/\(pid)/fd"
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return descriptors.filter { (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(folder)/\($0)")) == file.path }.count
    }
}
