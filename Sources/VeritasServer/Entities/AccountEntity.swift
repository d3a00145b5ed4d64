// Mastodon's Account entity (and the CredentialAccount extras for verify_credentials).
import Foundation
import VeritasCore

/// An account as Mastodon's API serialises it.
struct AccountEntity: Encodable, Sendable {
    struct Source: Encodable, Sendable {
        var privacy = "public"
        var sensitive = false
        var language = ""
        var note = ""
        var fields: [String] = []
    }

    let id: String
    let username: String
    let acct: String
    let displayName: String
    let locked = false
    let bot: Bool
    let discoverable = true
    let group = false
    let createdAt: Date
    let note: String
    let url: String
    let avatar: String
    let avatarStatic: String
    let header: String
    let headerStatic: String
    let followersCount: Int
    let followingCount: Int
    let statusesCount: Int
    /// The day of the last status (`2026-11-23`), or null.
    let lastStatusAt: String?
    let emojis: [String] = []
    let fields: [String] = []
    /// Veritas extension: whether the account administers the instance.
    let isAdmin: Bool
    var source: Source?

    init(_ account: Account, baseURL: String, withSource: Bool = false) {
        id = account.id
        username = account.username
        acct = account.username
        displayName = account.displayName
        bot = account.isBot
        note = account.note.isEmpty ? "" : StatusText(account.note).html(baseURL: baseURL, mentions: [:])
        createdAt = account.createdAt
        followersCount = account.followersCount
        followingCount = account.followingCount
        statusesCount = account.statusesCount
        lastStatusAt = account.lastStatusAt.map { String(APIJSON.timestamp($0).prefix(10)) }
        url = "\(baseURL)/@\(account.username)"
        avatar = "\(baseURL)/static/avatar.png"
        avatarStatic = avatar
        header = "\(baseURL)/static/header.png"
        headerStatic = header
        isAdmin = account.isAdmin
        source = withSource ? Source(note: account.note) : nil
    }

    enum CodingKeys: String, CodingKey {
        case id, username, acct, displayName, locked, bot, discoverable, group, createdAt, note, url, avatar, avatarStatic, header
        case headerStatic, followersCount, followingCount, statusesCount, lastStatusAt, emojis, fields, isAdmin, source
    }

    /// Mastodon writes absent values as `null`; clients read the keys.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(username, forKey: .username)
        try container.encode(acct, forKey: .acct)
        try container.encode(displayName, forKey: .displayName)
        try container.encode(locked, forKey: .locked)
        try container.encode(bot, forKey: .bot)
        try container.encode(discoverable, forKey: .discoverable)
        try container.encode(group, forKey: .group)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(note, forKey: .note)
        try container.encode(url, forKey: .url)
        try container.encode(avatar, forKey: .avatar)
        try container.encode(avatarStatic, forKey: .avatarStatic)
        try container.encode(header, forKey: .header)
        try container.encode(headerStatic, forKey: .headerStatic)
        try container.encode(followersCount, forKey: .followersCount)
        try container.encode(followingCount, forKey: .followingCount)
        try container.encode(statusesCount, forKey: .statusesCount)
        try container.encode(lastStatusAt, forKey: .lastStatusAt)
        try container.encode(emojis, forKey: .emojis)
        try container.encode(fields, forKey: .fields)
        try container.encode(isAdmin, forKey: .isAdmin)
        try container.encodeIfPresent(source, forKey: .source)
    }
}

extension AccountEntity {
    /// The members of `encode(to:)`, written by hand (`JSONWriter`) for statuses.
    func writeMembers(to json: inout JSONWriter) {
        json.field("id", id)
        json.field("username", username)
        json.field("acct", acct)
        json.field("display_name", displayName)
        json.field("locked", locked)
        json.field("bot", bot)
        json.field("discoverable", discoverable)
        json.field("group", group)
        json.field("created_at", createdAt)
        json.field("note", note)
        json.field("url", url)
        json.field("avatar", avatar)
        json.field("avatar_static", avatarStatic)
        json.field("header", header)
        json.field("header_static", headerStatic)
        json.field("followers_count", followersCount)
        json.field("following_count", followingCount)
        json.field("statuses_count", statusesCount)
        json.field("last_status_at", lastStatusAt)
        json.field("emojis", literal: "[]")
        json.field("fields", literal: "[]")
        json.field("is_admin", isAdmin)
        if let source {
            json.object("source") { json in
                json.field("privacy", source.privacy)
                json.field("sensitive", source.sensitive)
                json.field("language", source.language)
                json.field("note", source.note)
                json.field("fields", strings: source.fields)
            }
        }
    }
}
