// Serves an asset's HLS files behind a playback token: /play/TOKEN/master.m3u8, …/key, …
import Foundation
import HTTPTypes
import Hummingbird
import MediaPipeline
import Metrics
import Synchronization
import VeritasCore

/// Every playlist, segment and key reached from an `hls_url`. The token sits in the path, so
/// the relative URIs of stored playlists stay under it and any stock player works unchanged.
struct StreamController: Sendable {
    /// Every stream URL, as the router matches it.
    static let route = "/play/:token/**"
    let installation: Installation
    let keys: TokenKeys
    let entitlements: EntitlementCache
    let files: FileSender
    let playlists: PlaylistCache
    let publicURL: PublicBaseURL
    var baseURL: String { publicURL.string }
    private let requests = Counter(label: "veritas_stream_requests_total")

    func register(on router: Router<VeritasRequestContext>) {
        router.get(RouterPath(Self.route), use: serve)
    }

    /// What a path after the token names.
    enum Target: Equatable {
        case master, key, enclosure
        /// `master-NNNp.m3u8`: the master reduced to one rung (and the audio), which is how the
        /// web player pins a quality without losing the separate audio rendition.
        case rungMaster(rendition: String)
        case playlist(rendition: String, file: String)
        case segment(rendition: String, file: String)
    }

    /// Parses the path components after the token; anything else is nil (404). Only fixed names
    /// and `NNNp|audio` / `[si]NNNNN.ts` patterns pass, so no encoding trick reaches another file.
    static func target(_ components: [Substring]) -> Target? {
        switch components.count {
        case 1:
            switch components[0] {
            case "master.m3u8": return .master
            case "key": return .key
            case "enclosure.m4a": return .enclosure
            default:
                let name = components[0]
                guard name.hasPrefix("master-"), name.hasSuffix(".m3u8") else { return nil }
                let rendition = String(name.dropFirst("master-".count).dropLast(".m3u8".count))
                guard rendition != "audio", isRendition(rendition) else { return nil }
                return .rungMaster(rendition: rendition)
            }
        case 2:
            let rendition = String(components[0]), file = String(components[1])
            guard isRendition(rendition) else { return nil }
            if file == "index.m3u8" || file == "iframes.m3u8" { return .playlist(rendition: rendition, file: file) }
            guard file.count == 9, let kind = file.first, kind == "s" || kind == "i", file.hasSuffix(".ts"),
                file.dropFirst().dropLast(3).allSatisfy({ $0.isASCII && $0.isNumber })
            else { return nil }
            return .segment(rendition: rendition, file: file)
        default:
            return nil
        }
    }

    static func isRendition(_ name: String) -> Bool {
        if name == "audio" { return true }
        guard name.hasSuffix("p"), (3...5).contains(name.count) else { return false }
        return name.dropLast().allSatisfy { $0.isASCII && $0.isNumber }
    }

    @Sendable func serve(request: Request, context: VeritasRequestContext) async throws -> Response {
        let text = try context.parameters.require("token")
        let (token, target) = try authorise(token: text, path: context.parameters.getCatchAll(), now: installation.clock.now)
        requests.increment()
        let folder = token.assetID
        switch target {
        case .master, .rungMaster, .playlist:
            let body = try playlist(target, token: token, text: text)
            return Response(status: .ok, headers: Self.playlistHeaders, body: .init(byteBuffer: .init(string: body)))
        case .key:
            guard let asset = try installation.store.asset(id: token.assetID) else { throw APIError(.notFound, "not found") }
            let key = try installation.keyVault.open(asset.sealedKey, assetID: asset.id)
            var headers = HTTPFields()
            headers[.contentType] = "application/octet-stream"
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: .init(bytes: key)))
        case .segment(let rendition, let file):
            return try await files.send("\(folder)/\(rendition)/\(file)", for: request, context: context, cacheControl: Self.segmentCaching)
        case .enclosure:
            return try await files.send("\(folder)/enclosure.m4a", for: request, context: context, cacheControl: "private, max-age=3600")
        }
    }

    /// The answer to a GET of a playlist or segment that passes every check, for `StreamFastLane`
    /// to send without Hummingbird; nil for anything else (keys, enclosures, HEAD, cross-origin
    /// requests, any failure), which then reaches `serve` and gets its answer or error there.
    func fastAnswer(to request: HTTPRequest) -> (head: HTTPResponse, body: String?)? {
        guard request.method == .get, let path = request.path, request.headerFields[.origin] == nil,
            !(request.headerFields[.connection]?.lowercased().contains("close") ?? false), let (text, components) = Self.fastPath(path)
        else { return nil }
        guard let (token, target) = try? authorise(token: text, path: components, now: installation.clock.now) else { return nil }
        switch target {
        case .master, .rungMaster, .playlist:
            guard let body = try? playlist(target, token: token, text: text) else { return nil }
            requests.increment()
            var headers = Self.playlistHeaders
            headers[.contentLength] = String(body.utf8.count)
            return (HTTPResponse(status: .ok, headerFields: headers), body)
        case .segment(let rendition, let file):
            guard
                let (status, headers) = try? files.answer(
                    "\(token.assetID)/\(rendition)/\(file)", method: request.method, headers: request.headerFields,
                    cacheControl: Self.segmentCaching)
            else { return nil }
            requests.increment()
            return (HTTPResponse(status: status, headerFields: headers), nil)
        case .key, .enclosure:
            return nil
        }
    }

    /// The token and the components after it of a `/play/TOKEN/…` path (the query left out), as
    /// `fastAnswer` reads them; nil for any other path or one with an empty component.
    static func fastPath(_ path: String) -> (token: String, components: [Substring])? {
        guard path.hasPrefix("/play/") else { return nil }
        // Split as bytes: the path is ASCII whenever this answers, and Character splitting was a
        // twentieth of a playlist request.
        let bytes = path.utf8.prefix { $0 != UInt8(ascii: "?") }
        let parts = bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map { Substring($0) }
        guard parts.count >= 4, !parts.dropFirst().contains(where: \.isEmpty) else { return nil }
        return (String(parts[2]), Array(parts[3...]))
    }

    /// The verified token and what the rest of the path names, once the account may play the
    /// asset: the checks every stream request passes, whichever way it is answered.
    private func authorise(token text: String, path: [Substring], now: Date) throws -> (PlaybackToken, Target) {
        let token = try keys.verify(text, now: now)
        guard let target = Self.target(path) else { throw APIError(.notFound, "not found") }
        let allowed = try entitlements.allowed("\(token.accountID):\(token.assetID)", now: now) {
            try isEntitled(accountID: token.accountID, assetID: token.assetID)
        }
        guard allowed else { throw APIError(.forbidden, "playback is not allowed") }
        return (token, target)
    }

    private static let segmentCaching = "public, max-age=31536000, immutable"
    /// Never cached by clients: they carry a token.
    private static let playlistHeaders: HTTPFields = [.contentType: "application/vnd.apple.mpegurl", .cacheControl: "private, no-store"]

    /// The stored playlist `target` names, with its key URI made absolute and tokenised.
    private func playlist(_ target: Target, token: PlaybackToken, text: String) throws -> String {
        let path: String, rung: String?
        switch target {
        case .master: (path, rung) = ("master.m3u8", nil)
        case .rungMaster(let rendition): (path, rung) = ("master.m3u8", rendition)
        case .playlist(let rendition, let file): (path, rung) = ("\(rendition)/\(file)", nil)
        default: throw APIError(.notFound, "not found")
        }
        guard let pieces = playlists.pieces(of: "\(token.assetID)/\(path)") else {
            throw APIError(.notFound, "not found")
        }
        let personal = pieces.joined(separator: "\(baseURL)/play/\(text)/key")
        guard let rung else { return personal }
        guard let reduced = Self.master(personal, keepingOnly: rung) else { throw APIError(.notFound, "not found") }
        return reduced
    }

    /// A master playlist with the video variants and I-frame playlists of every rung but `rung`
    /// left out (the audio rendition stays); nil when the master has no such rung.
    static func master(_ text: String, keepingOnly rung: String) -> String? {
        var kept: [Substring] = []
        var found = false
        var skipNextURI = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if skipNextURI, !line.hasPrefix("#") {
                skipNextURI = false
                if line == "\(rung)/index.m3u8" {
                    found = true
                } else {
                    kept.removeLast()  // its #EXT-X-STREAM-INF
                    continue
                }
            } else if line.hasPrefix("#EXT-X-STREAM-INF:") {
                // The audio-only variant goes too: a pinned quality should not fall back to it.
                skipNextURI = true
            } else if line.hasPrefix("#EXT-X-I-FRAME-STREAM-INF:"), !line.contains("URI=\"\(rung)/") {
                continue
            }
            kept.append(line)
        }
        return found ? kept.joined(separator: "\n") : nil
    }

    /// Whether the account may play the asset now: the episode is one the playback endpoint
    /// would serve it, and SPEC §5's entitlement holds.
    private func isEntitled(accountID: String, assetID: String) throws -> Bool {
        let store = installation.store
        guard let account = try store.account(id: accountID), let episode = try store.episode(assetID: assetID),
            let (_, show, _) = try? CatalogController.visibleEpisode(episode.id, for: account, installation)
        else { return false }
        return try installation.billing.canPlay(account: account, show: show)
    }
}

/// Stored playlists, already split at the key placeholder so personalising one is a join.
///
/// An entry is kept while the file's modification time and size stay the same (one `stat` per
/// request): the playlists of an asset still being transcoded are replaced (renamed over) as
/// they grow, and its master gains the I-frame playlists at the end. A media playlist that has
/// ended (`#EXT-X-ENDLIST`) never changes again, so it is served without the `stat`.
final class PlaylistCache: Sendable {
    private struct Entry {
        let modified: timespec
        let size: off_t
        let pieces: [String]
        let ended: Bool
    }
    /// The assets folder, ending in `/`.
    private let root: String
    private let entries = Mutex<[String: Entry]>([:])
    private let capacity = 10_000

    init(root: URL) {
        self.root = folderPath(root.path)
    }

    /// The pieces of the playlist at `relativePath` below the assets folder.
    func pieces(of relativePath: String) -> [String]? {
        let path = root + relativePath
        let cached = entries.withLock { $0[path] }
        if let cached, cached.ended { return cached.pieces }
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        let modified = status.st_mtim
        if let cached, cached.size == status.st_size, cached.modified.tv_sec == modified.tv_sec,
            cached.modified.tv_nsec == modified.tv_nsec
        {
            return cached.pieces
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let pieces = FeedCache.split(text, at: MediaPlaylist.keyPlaceholder)
        let ended = text.contains("#EXT-X-ENDLIST")
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll() }
            entries[path] = Entry(modified: modified, size: status.st_size, pieces: pieces, ended: ended)
        }
        return pieces
    }
}
