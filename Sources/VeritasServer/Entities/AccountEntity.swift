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
    let bot = false
    let discoverable = true
    let group = false
    let createdAt: Date
    let note = ""
    let url: String
    let avatar: String
    let avatarStatic: String
    let header: String
    let headerStatic: String
    let followersCount = 0
    let followingCount = 0
    let statusesCount = 0
    let lastStatusAt: String? = nil
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
        createdAt = account.createdAt
        url = "\(baseURL)/@\(account.username)"
        avatar = "\(baseURL)/static/avatar.png"
        avatarStatic = avatar
        header = "\(baseURL)/static/header.png"
        headerStatic = header
        isAdmin = account.isAdmin
        source = withSource ? Source() : nil
    }
}
