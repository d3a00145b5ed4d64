// A status with everything a client is shown about it, as one caller sees it.
import Foundation

/// The episode an announcement points at.
public struct EpisodeAnnouncement: Sendable {
    public var episode: Episode
    public var show: Show
    public var asset: Asset?
    /// Whether the caller may play the episode (the stream itself is never in the status).
    public var canPlay: Bool
    /// Plans that unlock the show, for the invitation to subscribe.
    public var unlockingPlans: [String]
}

/// A status joined with its author, the original of a retruth, mentions, tags, the caller's own
/// favourite and retruth, and the episode of an announcement.
public final class StatusView: Sendable {
    public let status: Status
    public let account: Account
    public let reblog: StatusView?
    public let mentions: [Account]
    public let tags: [String]
    public let favourited: Bool
    public let reblogged: Bool
    public let announcement: EpisodeAnnouncement?

    public init(
        status: Status, account: Account, reblog: StatusView?, mentions: [Account], tags: [String], favourited: Bool,
        reblogged: Bool, announcement: EpisodeAnnouncement?
    ) {
        self.status = status
        self.account = account
        self.reblog = reblog
        self.mentions = mentions
        self.tags = tags
        self.favourited = favourited
        self.reblogged = reblogged
        self.announcement = announcement
    }
}

/// A notification with the account that acted and the status it concerns.
public struct NotificationView: Sendable {
    public var notification: SocialNotification
    public var account: Account
    public var status: StatusView?
}
