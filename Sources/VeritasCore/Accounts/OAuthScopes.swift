// OAuth scopes as Mastodon defines them: what a token may do, and what a route requires.

/// A set of OAuth scopes (`read`, `write:statuses`, `admin:read`, …) held by a token or an app.
///
/// A broad scope covers its granular ones (`write` covers `write:statuses`, `admin:read` covers
/// `admin:read:accounts`), and the legacy `follow` covers reading and writing follows, blocks
/// and mutes, as in Mastodon.
public struct OAuthScopes: Sendable, Equatable {
    /// The scope names, as sent.
    public let names: Set<String>

    /// Every scope name Veritas knows; anything else is refused as `invalid_scope`.
    public static let known: Set<String> = {
        let reads = ["accounts", "blocks", "bookmarks", "favourites", "filters", "follows", "lists", "mutes", "notifications", "search", "statuses"]
        let writes = [
            "accounts", "blocks", "bookmarks", "conversations", "favourites", "filters", "follows", "lists", "media", "mutes",
            "notifications", "reports", "statuses",
        ]
        let admin = ["accounts", "reports", "domain_allows", "domain_blocks", "ip_blocks", "email_domain_blocks", "canonical_email_blocks"]
        return Set(["read", "write", "follow", "push", "profile", "admin:read", "admin:write"])
            .union(reads.map { "read:" + $0 }).union(writes.map { "write:" + $0 })
            .union(admin.map { "admin:read:" + $0 }).union(admin.map { "admin:write:" + $0 })
    }()

    /// What a web session holds: every scope, limited by the account's role where it is checked.
    public static let all = OAuthScopes(names: ["read", "write", "follow", "push", "profile", "admin:read", "admin:write"])

    /// The scope of the web UI's own sessions, which stands for `all`.
    public static let webSession = "web"

    /// The granular scopes that the legacy `follow` scope covers.
    static let followGroup: Set<String> = ["read:follows", "write:follows", "read:blocks", "write:blocks", "read:mutes", "write:mutes"]

    public init(names: Set<String>) {
        self.names = names
    }

    /// The scopes of a space-separated list (a token's stored scopes, say), unknown names kept
    /// but granting nothing; `web` is a web session's full set.
    public init(stored text: String) {
        let names = Set(text.split(whereSeparator: { $0 == " " || $0 == "+" }).map(String.init))
        self = names.contains(Self.webSession) ? .all : OAuthScopes(names: names)
    }

    /// The scopes of a client's space-separated list, or nil if it names none or an unknown one.
    public init?(requested text: String) {
        let names = Set(text.split(whereSeparator: { $0 == " " || $0 == "+" }).map(String.init))
        guard !names.isEmpty, names.isSubset(of: Self.known) else { return nil }
        self.names = names
    }

    /// Whether these scopes permit what `required` names.
    public func allows(_ required: String) -> Bool {
        names.contains { Self.held($0, covers: required) }
    }

    /// The part of `self` (what a client asked for) that `registered` (what its app may have)
    /// permits: each asked scope the app covers, and, for a broad one it does not, the app's
    /// narrower scopes under it.
    public func granted(within registered: OAuthScopes) -> OAuthScopes {
        var granted = Set<String>()
        for name in names {
            if registered.allows(name) {
                granted.insert(name)
            } else {
                granted.formUnion(registered.names.filter { Self.held(name, covers: $0) })
            }
        }
        return OAuthScopes(names: granted)
    }

    /// The space-separated form, in a stable order.
    public var text: String { names.sorted().joined(separator: " ") }

    public var isEmpty: Bool { names.isEmpty }

    private static func held(_ held: String, covers required: String) -> Bool {
        if held == required { return true }
        if held == "follow" { return followGroup.contains(required) }
        // A verified account's `profile` is a subset of `read:accounts`, not the other way round.
        if required == "profile" { return held == "read" || held == "read:accounts" }
        return required.hasPrefix(held + ":")
    }
}
