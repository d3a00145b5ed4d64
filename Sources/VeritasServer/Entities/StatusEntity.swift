// Mastodon's Status entity and what it embeds: attachments, mentions, tags, preview card.
import Foundation
import VeritasCore

/// What every caller sees alike of a status as Mastodon's API serialises it: everything but
/// the caller's own flags (`favourited`, `reblogged`), the embedded original of a retruth and
/// the episode link, which `StatusRenderer` appends.
struct StatusEntity: Encodable, Sendable {
    let id: String
    let createdAt: Date
    let inReplyToId: String?
    let inReplyToAccountId: String?
    let sensitive: Bool
    let spoilerText: String
    let visibility: String
    let language: String?
    let uri: String
    let url: String
    let repliesCount: Int
    let reblogsCount: Int
    let favouritesCount: Int
    let content: String
    let account: AccountEntity
    let mediaAttachments: [MediaAttachmentEntity]
    let mentions: [MentionEntity]
    let tags: [TagEntity]
    let card: CardEntity?

    init(_ view: StatusView, baseURL: String) {
        let status = view.status
        id = String(status.id)
        createdAt = status.createdAt
        inReplyToId = status.inReplyToID.map(String.init)
        inReplyToAccountId = status.inReplyToAccountID
        sensitive = status.sensitive
        spoilerText = status.spoilerText
        visibility = status.visibility.rawValue
        language = status.language
        uri = "\(baseURL)/users/\(view.account.username)/statuses/\(status.id)"
        url = "\(baseURL)/@\(view.account.username)/\(status.id)"
        repliesCount = status.repliesCount
        reblogsCount = status.reblogsCount
        favouritesCount = status.favouritesCount
        let mentionURLs = Dictionary(
            view.mentions.map { ($0.username, "\(baseURL)/@\($0.username)") }, uniquingKeysWith: { first, _ in first })
        content = status.reblogOfID == nil ? StatusText(status.text).html(baseURL: baseURL, mentions: mentionURLs) : ""
        account = AccountEntity(view.account, baseURL: baseURL)
        mentions = view.mentions.map { MentionEntity($0, baseURL: baseURL) }
        tags = view.tags.map { TagEntity(name: $0, url: "\(baseURL)/tags/\($0)") }
        if let announcement = view.announcement {
            let page = "\(baseURL)/episodes/\(announcement.episode.id)"
            let poster = announcement.asset.flatMap { CatalogController.posterURL($0, baseURL: baseURL) }
            mediaAttachments = [MediaAttachmentEntity(announcement, page: page, poster: poster)]
            card = CardEntity(announcement, page: page, poster: poster, baseURL: baseURL)
        } else {
            mediaAttachments = []
            card = nil
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, createdAt, inReplyToId, inReplyToAccountId, sensitive, spoilerText, visibility, language, uri, url, repliesCount
        case reblogsCount, favouritesCount, editedAt, muted, bookmarked, pinned, content, filtered, application, account
        case mediaAttachments, mentions, tags, emojis, card, poll
    }

    /// Every key Mastodon sends, absent values as `null`. Responses are written by
    /// `writeMembers(to:)` below; this encoding is the reference a test holds it to.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(inReplyToId, forKey: .inReplyToId)
        try container.encode(inReplyToAccountId, forKey: .inReplyToAccountId)
        try container.encode(sensitive, forKey: .sensitive)
        try container.encode(spoilerText, forKey: .spoilerText)
        try container.encode(visibility, forKey: .visibility)
        try container.encode(language, forKey: .language)
        try container.encode(uri, forKey: .uri)
        try container.encode(url, forKey: .url)
        try container.encode(repliesCount, forKey: .repliesCount)
        try container.encode(reblogsCount, forKey: .reblogsCount)
        try container.encode(favouritesCount, forKey: .favouritesCount)
        try container.encodeNil(forKey: .editedAt)
        try container.encode(false, forKey: .muted)
        try container.encode(false, forKey: .bookmarked)
        try container.encode(false, forKey: .pinned)
        try container.encode(content, forKey: .content)
        try container.encode([String](), forKey: .filtered)
        try container.encodeNil(forKey: .application)
        try container.encode(account, forKey: .account)
        try container.encode(mediaAttachments, forKey: .mediaAttachments)
        try container.encode(mentions, forKey: .mentions)
        try container.encode(tags, forKey: .tags)
        try container.encode([String](), forKey: .emojis)
        try container.encode(card, forKey: .card)
        try container.encodeNil(forKey: .poll)
    }
}

/// An episode announcement's `video` attachment: the poster to show, the episode page to open.
/// It never carries the stream; the page (and the playback API) decide who may play.
struct MediaAttachmentEntity: Encodable, Sendable {
    struct Meta: Encodable, Sendable {
        let length: String?
        let duration: Double?
    }

    let id: String
    let type = "video"
    let url: String
    let previewUrl: String?
    let remoteUrl: String? = nil
    let previewRemoteUrl: String? = nil
    let textUrl: String? = nil
    let meta: Meta
    let description: String
    let blurhash: String? = nil

    init(_ announcement: EpisodeAnnouncement, page: String, poster: String?) {
        id = announcement.episode.id
        url = page
        previewUrl = poster
        let duration = announcement.asset?.duration
        meta = Meta(length: duration.map(Self.clock), duration: duration)
        description = "Poster of \(announcement.show.title): \(announcement.episode.title)"
    }

    /// `1:02:03` or `4:05`.
    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
        return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, secs) : String(format: "%d:%02d", minutes, secs)
    }

    enum CodingKeys: String, CodingKey {
        case id, type, url, previewUrl, remoteUrl, previewRemoteUrl, textUrl, meta, description, blurhash
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(type, forKey: .type)
        try container.encode(url, forKey: .url)
        try container.encode(previewUrl, forKey: .previewUrl)
        try container.encode(remoteUrl, forKey: .remoteUrl)
        try container.encode(previewRemoteUrl, forKey: .previewRemoteUrl)
        try container.encode(textUrl, forKey: .textUrl)
        try container.encode(meta, forKey: .meta)
        try container.encode(description, forKey: .description)
        try container.encode(blurhash, forKey: .blurhash)
    }
}

/// The preview card of an announcement: the episode page.
struct CardEntity: Encodable, Sendable {
    let url: String
    let title: String
    let description: String
    let type = "video"
    let authorName: String
    let authorUrl: String
    let providerName = "Veritas"
    let providerUrl: String
    let html = ""
    let width = 0
    let height = 0
    let image: String?
    let embedUrl = ""

    init(_ announcement: EpisodeAnnouncement, page: String, poster: String?, baseURL: String) {
        url = page
        title = announcement.episode.title
        description = announcement.episode.description
        authorName = announcement.show.title
        authorUrl = "\(baseURL)/shows/\(announcement.show.slug)"
        providerUrl = baseURL
        image = poster
    }
}

struct MentionEntity: Encodable, Sendable {
    let id: String
    let username: String
    let acct: String
    let url: String

    init(_ account: Account, baseURL: String) {
        id = account.id
        username = account.username
        acct = account.username
        url = "\(baseURL)/@\(account.username)"
    }
}

struct TagEntity: Encodable, Sendable {
    let name: String
    let url: String
}

/// Veritas's extension on announcements.
struct EpisodeLinkEntity: Encodable, Sendable {
    let id: String
    let showId: String
    let url: String
    let canPlay: Bool
    /// Plans that would unlock it, when the caller cannot play it.
    let plans: [String]
}

// MARK: Written by hand (`JSONWriter`): the same members as `encode(to:)` above.

extension StatusEntity {
    /// The members, without the object's braces.
    func writeMembers(to json: inout JSONWriter) {
        json.field("id", id)
        json.field("created_at", createdAt)
        json.field("in_reply_to_id", inReplyToId)
        json.field("in_reply_to_account_id", inReplyToAccountId)
        json.field("sensitive", sensitive)
        json.field("spoiler_text", spoilerText)
        json.field("visibility", visibility)
        json.field("language", language)
        json.field("uri", uri)
        json.field("url", url)
        json.field("replies_count", repliesCount)
        json.field("reblogs_count", reblogsCount)
        json.field("favourites_count", favouritesCount)
        json.field("edited_at", literal: "null")
        json.field("muted", false)
        json.field("bookmarked", false)
        json.field("pinned", false)
        json.field("content", content)
        json.field("filtered", literal: "[]")
        json.field("application", literal: "null")
        json.object("account") { account.writeMembers(to: &$0) }
        json.objects("media_attachments", mediaAttachments) { $0.writeMembers(to: &$1) }
        json.objects("mentions", mentions) { $0.writeMembers(to: &$1) }
        json.objects("tags", tags) { $0.writeMembers(to: &$1) }
        json.field("emojis", literal: "[]")
        if let card { json.object("card") { card.writeMembers(to: &$0) } } else { json.field("card", literal: "null") }
        json.field("poll", literal: "null")
    }
}

extension MediaAttachmentEntity {
    func writeMembers(to json: inout JSONWriter) {
        json.field("id", id)
        json.field("type", type)
        json.field("url", url)
        json.field("preview_url", previewUrl)
        json.field("remote_url", remoteUrl)
        json.field("preview_remote_url", previewRemoteUrl)
        json.field("text_url", textUrl)
        json.object("meta") { json in
            // Absent values are left out, as the synthesised encoding of `Meta` does.
            if let length = meta.length { json.field("length", length) }
            if let duration = meta.duration { json.field("duration", duration) }
        }
        json.field("description", description)
        json.field("blurhash", blurhash)
    }
}

extension MentionEntity {
    func writeMembers(to json: inout JSONWriter) {
        json.field("id", id)
        json.field("username", username)
        json.field("acct", acct)
        json.field("url", url)
    }
}

extension TagEntity {
    func writeMembers(to json: inout JSONWriter) {
        json.field("name", name)
        json.field("url", url)
    }
}

extension CardEntity {
    func writeMembers(to json: inout JSONWriter) {
        json.field("url", url)
        json.field("title", title)
        json.field("description", description)
        json.field("type", type)
        json.field("author_name", authorName)
        json.field("author_url", authorUrl)
        json.field("provider_name", providerName)
        json.field("provider_url", providerUrl)
        json.field("html", html)
        json.field("width", width)
        json.field("height", height)
        if let image { json.field("image", image) }
        json.field("embed_url", embedUrl)
    }
}
