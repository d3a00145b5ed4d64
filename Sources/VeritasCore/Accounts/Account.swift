// An account: a viewer, a creator or an admin; the same account posts in the feed.
import Foundation

/// What an account may do beyond viewing.
public enum AccountRole: String, Codable, Sendable {
    case user, admin
}

/// A person's account.
public struct Account: Codable, Sendable, Hashable {
    public var id: String
    /// The handle (`acct`): 1–30 lowercase letters, digits or underscores.
    public var username: String
    /// Lowercased e-mail address, unique.
    public var email: String
    public var displayName: String
    /// bcrypt hash of the password.
    public var passwordHash: String
    public var role: AccountRole
    public var isSuspended: Bool
    public var createdAt: Date
    /// Plain-text biography.
    public var note: String = ""
    /// Automated accounts, such as a show's feed account that announces its episodes.
    public var isBot: Bool = false
    public var followersCount: Int = 0
    public var followingCount: Int = 0
    public var statusesCount: Int = 0
    public var lastStatusAt: Date?
    /// Set for good once the account's following outgrows fan-out on write: followers' home
    /// timelines then pull its statuses when read (see `SocialStore`).
    public var fanOutOnRead: Bool = false

    public init(
        id: String, username: String, email: String, displayName: String, passwordHash: String,
        role: AccountRole = .user, isSuspended: Bool = false, isBot: Bool = false, createdAt: Date = Date()
    ) {
        self.id = id
        self.username = username
        self.email = email
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.role = role
        self.isSuspended = isSuspended
        self.isBot = isBot
        self.createdAt = createdAt
    }

    public var isAdmin: Bool { role == .admin }

    /// The password hash of accounts nobody signs in to (bcrypt refuses it as malformed).
    public static let noPassword = "*"

    /// Whether `name` is a valid handle.
    public static func isValidUsername(_ name: String) -> Bool {
        (1...30).contains(name.count)
            && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// A rough but useful e-mail check: one `@`, something before it, a dot after it, no spaces.
    public static func isPlausibleEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
            && !parts[1].hasSuffix(".") && !email.contains(where: \.isWhitespace) && email.count <= 254
    }
}
