// Persistence of the social feed: statuses, the follow graph, favourites, notifications, timelines.
import Foundation

/// The rows a page of statuses needs, read in one transaction.
public struct StatusBundle: Sendable {
    public var statuses: [Int64: Status] = [:]
    public var accounts: [String: Account] = [:]
    /// Mentioned account ids per status.
    public var mentions: [Int64: [String]] = [:]
    public var tags: [Int64: [String]] = [:]
    /// Statuses the viewer favourited / retruthed.
    public var favourited: Set<Int64> = []
    public var reblogged: Set<Int64> = []
    public var episodes: [String: Episode] = [:]
    public var shows: [String: Show] = [:]
    public var assets: [String: Asset] = [:]

    public init() {}
}

/// The statuses a timeline holds.
public enum Timeline: Sendable, Equatable {
    /// What the account follows, and its own.
    case home(accountID: String)
    /// Public statuses, retruths excluded.
    case `public`
    /// Public statuses carrying the (lowercased) tag.
    case tag(String)
    /// An account's own statuses, filtered.
    case account(String, AccountStatusFilter)
}

/// Filters of an account's own timeline.
public struct AccountStatusFilter: Sendable, Equatable {
    public var includePrivate = false
    public var excludeReplies = false
    public var excludeReblogs = false
    public var onlyMedia = false
    public var tag: String?

    public init() {}
}

/// The social feed's storage.
///
/// Home timelines are a mix of fan-out on write and on read. A status is copied into the home
/// feed rows (`homeFeed`: account, status) of every follower when it is posted, so reading a
/// home timeline is one index range scan however many accounts one follows. That costs one row
/// per follower per post, which is the wrong trade for an account followed by millions: once an
/// account has more than `fanOutLimit` followers it is marked `fanOutOnRead` (for good, so no
/// status falls between the two schemes) and its statuses are no longer copied; instead a home
/// timeline read also takes one index range scan per such account the reader follows (there
/// are few) and merges. Posting then stays O(followers ≤ limit) for ordinary accounts and O(1)
/// for the biggest ones; reading stays O(limit × (1 + big accounts followed)).
public protocol SocialStore: Sendable {
    /// Stores a new status with its mentions, tags and notifications, bumps the counters it
    /// touches and fans it out. When `idempotencyKey` was used by the same author in the last
    /// hour, nothing is written and the status created then is returned.
    func insert(
        _ status: Status, mentions: [String], tags: [String], notifications: [SocialNotification], idempotencyKey: String?,
        fanOutLimit: Int
    ) throws -> Status
    /// The same, committed in one transaction with the other writes waiting for the writer
    /// (posts come in floods); returns once committed, with the author as it is then.
    func insert(
        _ status: Status, mentions: [String], tags: [String], notifications: [SocialNotification], idempotencyKey: String?,
        fanOutLimit: Int
    ) async throws -> (status: Status, author: Account?)
    /// Deletes a status, its retruths, and every timeline entry and notification of them.
    func deleteStatus(id: Int64) throws
    func status(id: Int64) throws -> Status?
    /// The retruth of `statusID` by `accountID`, if any.
    func reblog(of statusID: Int64, by accountID: String) throws -> Status?
    /// The announcement of an episode, if any.
    func announcement(episodeID: String) throws -> Status?
    func isMentioned(accountID: String, in statusID: Int64) throws -> Bool

    /// Adds a favourite (false when it existed).
    func insertFavourite(accountID: String, statusID: Int64, notification: SocialNotification?) throws -> Bool
    func deleteFavourite(accountID: String, statusID: Int64) throws

    /// Adds a follow, copying up to `backfill` recent statuses of the followed account into the
    /// follower's home feed (false when it existed).
    func insert(_ follow: Follow, notification: SocialNotification?, backfill: Int) throws -> Bool
    /// Removes a follow and the unfollowed account's entries from the follower's home feed.
    func deleteFollow(followerID: String, followedID: String) throws
    /// Which of `others` `accountID` follows, and which follow it.
    func relationships(of accountID: String, with others: [String]) throws -> (following: Set<String>, followedBy: Set<String>)
    /// Follows of one account (`followers`) or by one account (`following`), newest first.
    func follows(ofFollowed followedID: String, page: PageRequest) throws -> [Follow]
    func follows(byFollower followerID: String, page: PageRequest) throws -> [Follow]

    /// A page of a timeline, and what showing it to `viewerID` takes, in one read.
    func timelinePage(_ timeline: Timeline, page: PageRequest, viewerID: String?) throws -> (ids: [Int64], bundle: StatusBundle)
    /// Accounts that favourited / retruthed a status, newest first, paged by the favourite's or
    /// the retruth's id.
    func favourites(of statusID: Int64, page: PageRequest) throws -> [(id: Int64, accountID: String)]
    func reblogs(of statusID: Int64, page: PageRequest) throws -> [(id: Int64, accountID: String)]
    /// Replies below a status, however deep, oldest first: the nearest `limit` of them.
    func replyTree(below statusID: Int64, limit: Int) throws -> [Int64]
    /// Statuses with what showing them takes, the originals of retruths included.
    func bundle(statusIDs: [Int64], viewerID: String?) throws -> StatusBundle
    func accounts(ids: [String]) throws -> [Account]

    func notifications(accountID: String, types: Set<NotificationKind>, page: PageRequest) throws -> [SocialNotification]
    /// Deletes one notification of the account, or all of them when `id` is nil.
    func deleteNotifications(accountID: String, id: Int64?) throws

    /// How many accounts and statuses the instance has (for the instance entity).
    func instanceCounts() throws -> (accounts: Int, statuses: Int)

    /// Links a show to its feed account.
    func setShowAccount(showID: String, accountID: String) throws
}
