// A show: a series, podcast or film, with its access rule.
import Foundation

/// What kind of programme a show is.
public enum ShowKind: String, Codable, Sendable, CaseIterable {
    case series, podcast, film
}

/// A show of the catalog.
public struct Show: Codable, Sendable, Hashable {
    public var id: String
    public var slug: String
    public var title: String
    public var description: String
    public var kind: ShowKind
    /// Free shows play for every account; others need a plan that unlocks them.
    public var isFree: Bool
    public var isPublished: Bool
    public var createdAt: Date
    /// The account that announces the show's episodes in the feed.
    public var accountID: String?
    /// A video show also offered as a podcast (its episodes' audio as enclosures).
    public var hasAudioFeed: Bool = false

    /// Whether the show has podcast feeds: podcasts always, other shows when set.
    public var offersAudioFeed: Bool { kind == .podcast || hasAudioFeed }

    public init(
        id: String, slug: String, title: String, description: String = "", kind: ShowKind = .series,
        isFree: Bool = false, isPublished: Bool = false, createdAt: Date = Date()
    ) {
        self.id = id
        self.slug = slug
        self.title = title
        self.description = description
        self.kind = kind
        self.isFree = isFree
        self.isPublished = isPublished
        self.createdAt = createdAt
    }

    /// Whether `slug` is usable in URLs: 1–64 lowercase letters, digits and inner hyphens.
    public static func isValidSlug(_ slug: String) -> Bool {
        guard (1...64).contains(slug.count), slug.first != "-", slug.last != "-" else { return false }
        return slug.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
