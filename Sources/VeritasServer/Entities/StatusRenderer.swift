// Mastodon JSON for statuses and notifications, with what every caller sees alike encoded once.
import Foundation
import Hummingbird
import Synchronization
import VeritasCore

/// Renders statuses as Mastodon JSON. The part of a status every caller sees alike (text,
/// author, counts, attachments) is encoded once per version of the rows it comes from and kept;
/// the caller's own flags, the original of a retruth and the episode link are appended per
/// request. A timeline read then mostly copies bytes instead of running the JSON encoder.
final class StatusRenderer: Sendable {
    /// Everything the shared JSON of a status is made of: a cached copy is used only while its
    /// key is equal to the current one, so nothing stale is ever served and nothing needs
    /// invalidating.
    private struct Key: Equatable {
        let status: Status
        let account: Account
        let mentions: [Account]
        let tags: [String]
        let episode: Episode?
        let show: Show?
        let poster: String?
        let duration: Double?
        let baseURL: String

        init(_ view: StatusView, baseURL: String) {
            status = view.status
            account = view.account
            mentions = view.mentions
            tags = view.tags
            episode = view.announcement?.episode
            show = view.announcement?.show
            poster = view.announcement?.asset.flatMap { CatalogController.posterURL($0, baseURL: baseURL) }
            duration = view.announcement?.asset?.duration
            self.baseURL = baseURL
        }
    }

    /// Kept JSON per status id, with the key it was made from. Looked up by id and compared,
    /// rather than hashed whole: hashing every field of every status was a twentieth of a
    /// timeline request.
    private struct Entry {
        let key: Key
        let json: [UInt8]
    }

    /// Bounded by entries and by bytes, least recently used roughly.
    private let cache: Mutex<Generations<Int64, Entry>>
    let publicURL: PublicBaseURL

    init(publicURL: PublicBaseURL, capacity: Int = 10_000, maxBytes: Int = 64 << 20) {
        self.publicURL = publicURL
        cache = Mutex(Generations(capacity: capacity, maxCost: maxBytes))
    }

    /// One status as a JSON object; `source` adds its plain text (answers to a delete).
    func json(_ view: StatusView, source: Bool = false) throws -> [UInt8] {
        var out: [UInt8] = []
        try append(view, source: source, to: &out)
        return out
    }

    /// Statuses as a JSON array.
    func json(_ views: [StatusView]) throws -> [UInt8] {
        try Self.array(views) { view, out in try append(view, source: false, to: &out) }
    }

    /// A page of a timeline with Mastodon's `Link` header.
    func page(_ page: StatusPage, request: Request) throws -> Response {
        try Pagination.response(
            json: json(page.views), firstID: page.ids.first, lastID: page.ids.last, request: request, baseURL: publicURL.string)
    }

    /// Notifications as a JSON array, their statuses rendered as above.
    func json(_ notifications: [NotificationView]) throws -> [UInt8] {
        try Self.array(notifications) { view, out in out += try json(view) }
    }

    /// One notification as a JSON object.
    func json(_ notification: NotificationView) throws -> [UInt8] {
        var out = try Self.openObject(NotificationEntity(notification, baseURL: publicURL.string))
        out += Array(#","status":"#.utf8)
        if let status = notification.status { try append(status, source: false, to: &out) } else { out += Array("null".utf8) }
        out.append(UInt8(ascii: "}"))
        return out
    }

    private func append(_ view: StatusView, source: Bool, to out: inout [UInt8]) throws {
        out += shared(view)
        out += Array(#","favourited":\#(view.favourited),"reblogged":\#(view.reblogged),"reblog":"#.utf8)
        if let reblog = view.reblog { try append(reblog, source: false, to: &out) } else { out += Array("null".utf8) }
        if let announcement = view.announcement {
            let link = EpisodeLinkEntity(
                id: announcement.episode.id, showId: announcement.show.id, url: "\(publicURL.string)/episodes/\(announcement.episode.id)",
                canPlay: announcement.canPlay, plans: announcement.show.isFree ? [] : announcement.unlockingPlans)
            out += Array(#","episode":"#.utf8)
            out += try APIJSON.encoder.encode(link)
        }
        if source {
            out += Array(#","text":"#.utf8)
            out += try APIJSON.encoder.encode(view.status.text)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// The shared part, `{…` without its closing brace, from the cache or freshly written.
    private func shared(_ view: StatusView) -> [UInt8] {
        let baseURL = publicURL.string
        let key = Key(view, baseURL: baseURL)
        let id = view.status.id
        let cached = cache.withLock { entries -> [UInt8]? in
            guard let hit = entries.value(for: id), hit.key == key else { return nil }
            return hit.json
        }
        if let cached { return cached }
        var json = JSONWriter(capacity: 2048)
        json.openObject { StatusEntity(view, baseURL: baseURL).writeMembers(to: &$0) }
        let fresh = json.bytes
        cache.withLock { $0.insert(Entry(key: key, json: fresh), for: id, cost: fresh.count) }
        return fresh
    }

    /// `[a,b,…]` with each element written by `element`.
    private static func array<Element>(_ items: [Element], _ element: (Element, inout [UInt8]) throws -> Void) rethrows -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (index, item) in items.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            try element(item, &out)
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    /// `value` encoded as a JSON object without its closing brace, ready for more members.
    private static func openObject(_ value: some Encodable) throws -> [UInt8] {
        var bytes = Array(try APIJSON.encoder.encode(value))
        guard bytes.last == UInt8(ascii: "}") else { throw APIError(.internalServerError, "internal error") }
        bytes.removeLast()
        return bytes
    }
}

extension Response {
    /// A `200` JSON answer from encoded bytes.
    static func json(_ bytes: [UInt8], headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: .init(bytes: bytes)))
    }
}
