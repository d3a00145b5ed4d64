// Serves an asset's HLS files behind a playback token: /play/TOKEN/master.m3u8, …/key, …
import Foundation
import Hummingbird
import MediaPipeline
import Metrics
import Synchronization
import VeritasCore

/// Every playlist, segment and key reached from an `hls_url`. The token sits in the path, so
/// the relative URIs of stored playlists stay under it and any stock player works unchanged.
struct StreamController: Sendable {
    let installation: Installation
    let keys: TokenKeys
    let entitlements: EntitlementCache
    let files: FileSender
    let playlists: PlaylistCache
    let publicURL: PublicBaseURL
    var baseURL: String { publicURL.string }
    private let requests = Counter(label: "veritas_stream_requests_total")

    func register(on router: Router<VeritasRequestContext>) {
        router.get("/play/:token/**", use: serve)
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
        let now = installation.clock.now
        let token = try keys.signer.verify(text, now: now)
        guard let target = Self.target(context.parameters.getCatchAll()) else { throw APIError(.notFound, "not found") }
        let allowed = try entitlements.allowed("\(token.accountID):\(token.assetID)", now: now) {
            try isEntitled(accountID: token.accountID, assetID: token.assetID)
        }
        guard allowed else { throw APIError(.forbidden, "playback is not allowed") }
        requests.increment()
        let folder = token.assetID
        switch target {
        case .master:
            return try playlist("\(folder)/master.m3u8", token: text)
        case .rungMaster(let rendition):
            return try playlist("\(folder)/master.m3u8", token: text, onlyRung: rendition)
        case .playlist(let rendition, let file):
            return try playlist("\(folder)/\(rendition)/\(file)", token: text)
        case .key:
            guard let asset = try installation.store.asset(id: token.assetID) else { throw APIError(.notFound, "not found") }
            let key = try installation.keyVault.open(asset.sealedKey, assetID: asset.id)
            var headers = HTTPFields()
            headers[.contentType] = "application/octet-stream"
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: .init(bytes: key)))
        case .segment(let rendition, let file):
            return try await files.send(
                "\(folder)/\(rendition)/\(file)", for: request, context: context, cacheControl: "public, max-age=31536000, immutable")
        case .enclosure:
            return try await files.send("\(folder)/enclosure.m4a", for: request, context: context, cacheControl: "private, max-age=3600")
        }
    }

    /// A stored playlist with its key URI made absolute and tokenised; never cached by clients.
    private func playlist(_ path: String, token: String, onlyRung rung: String? = nil) throws -> Response {
        guard let pieces = playlists.pieces(of: installation.paths.assets.appendingPathComponent(path)) else {
            throw APIError(.notFound, "not found")
        }
        var personal = pieces.joined(separator: "\(baseURL)/play/\(token)/key")
        if let rung {
            guard let reduced = Self.master(personal, keepingOnly: rung) else { throw APIError(.notFound, "not found") }
            personal = reduced
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/vnd.apple.mpegurl"
        headers[.cacheControl] = "private, no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: .init(string: personal)))
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
/// request): a ready asset's playlists never change, and those of an asset still being
/// transcoded are replaced (renamed over) as they grow.
final class PlaylistCache: Sendable {
    private struct Entry {
        let modified: timespec
        let size: off_t
        let pieces: [String]
    }
    private let entries = Mutex<[String: Entry]>([:])
    private let capacity = 10_000

    func pieces(of file: URL) -> [String]? {
        var status = stat()
        guard stat(file.path, &status) == 0 else { return nil }
        let modified = status.st_mtim
        if let cached = entries.withLock({ $0[file.path] }), cached.size == status.st_size,
            cached.modified.tv_sec == modified.tv_sec, cached.modified.tv_nsec == modified.tv_nsec
        {
            return cached.pieces
        }
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return nil }
        let pieces = text.components(separatedBy: MediaPlaylist.keyPlaceholder)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll() }
            entries[file.path] = Entry(modified: modified, size: status.st_size, pieces: pieces)
        }
        return pieces
    }
}
