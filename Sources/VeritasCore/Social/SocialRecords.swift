// The social graph and activity rows: follows and notifications.
import Foundation

/// One account following another. `id` orders follower and following lists.
public struct Follow: Codable, Sendable, Equatable {
    public var id: Int64
    public var followerID: String
    public var followedID: String
    public var createdAt: Date

    public init(id: Int64, followerID: String, followedID: String, createdAt: Date) {
        self.id = id
        self.followerID = followerID
        self.followedID = followedID
        self.createdAt = createdAt
    }
}

/// What a notification tells its recipient.
public enum NotificationKind: String, Codable, Sendable, CaseIterable {
    case follow, favourite, reblog, mention
}

/// Something another account did to the recipient or its statuses.
public struct SocialNotification: Codable, Sendable, Equatable {
    public var id: Int64
    /// The recipient.
    public var accountID: String
    /// Who acted.
    public var fromAccountID: String
    public var type: NotificationKind
    public var statusID: Int64?
    public var createdAt: Date

    public init(id: Int64, accountID: String, fromAccountID: String, type: NotificationKind, statusID: Int64?, createdAt: Date) {
        self.id = id
        self.accountID = accountID
        self.fromAccountID = fromAccountID
        self.type = type
        self.statusID = statusID
        self.createdAt = createdAt
    }
}

/// How the caller and another account relate.
public struct Relationship: Sendable, Equatable {
    public var accountID: String
    public var following: Bool
    public var followedBy: Bool

    public init(accountID: String, following: Bool, followedBy: Bool) {
        self.accountID = accountID
        self.following = following
        self.followedBy = followedBy
    }
}
