// A truth (Mastodon's status): a post, a reply, a retruth, or an episode announcement.
import Foundation

/// Who may read a status.
public enum StatusVisibility: String, Codable, Sendable, CaseIterable {
    /// Everyone, and on the public and hashtag timelines.
    case `public`
    /// Everyone who looks, but kept off the public and hashtag timelines.
    case unlisted
    /// The author's followers and the accounts it mentions.
    case `private`
}

/// A status as stored. Its HTML `content` is rendered from `text` when it is read, so links
/// follow the server's current public URL.
public struct Status: Codable, Sendable, Hashable {
    /// A time-ordered snowflake (`IDGenerator`); an integer so timelines page by range.
    public var id: Int64
    public var accountID: String
    /// The plain text the author wrote.
    public var text: String
    public var spoilerText: String
    public var sensitive: Bool
    public var visibility: StatusVisibility
    public var language: String?
    public var inReplyToID: Int64?
    public var inReplyToAccountID: String?
    /// Set on a retruth: the original status (never itself a retruth).
    public var reblogOfID: Int64?
    /// Set on an episode announcement.
    public var episodeID: String?
    public var repliesCount: Int = 0
    public var reblogsCount: Int = 0
    public var favouritesCount: Int = 0
    public var createdAt: Date

    public init(
        id: Int64, accountID: String, text: String, spoilerText: String = "", sensitive: Bool = false,
        visibility: StatusVisibility, language: String? = nil, inReplyToID: Int64? = nil, inReplyToAccountID: String? = nil,
        reblogOfID: Int64? = nil, episodeID: String? = nil, createdAt: Date
    ) {
        self.id = id
        self.accountID = accountID
        self.text = text
        self.spoilerText = spoilerText
        self.sensitive = sensitive
        self.visibility = visibility
        self.language = language
        self.inReplyToID = inReplyToID
        self.inReplyToAccountID = inReplyToAccountID
        self.reblogOfID = reblogOfID
        self.episodeID = episodeID
        self.createdAt = createdAt
    }
}
