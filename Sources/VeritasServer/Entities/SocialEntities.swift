// Mastodon's Relationship and Notification entities.
import Foundation
import VeritasCore

struct RelationshipEntity: Encodable, Sendable {
    let id: String
    let following: Bool
    let showingReblogs: Bool
    let notifying = false
    let languages: [String]? = nil
    let followedBy: Bool
    let blocking = false
    let blockedBy = false
    let muting = false
    let mutingNotifications = false
    let requested = false
    let requestedBy = false
    let domainBlocking = false
    let endorsed = false
    let note = ""

    init(_ relationship: Relationship) {
        id = relationship.accountID
        following = relationship.following
        showingReblogs = relationship.following
        followedBy = relationship.followedBy
    }
}

/// A notification without its status, which `StatusRenderer` appends.
struct NotificationEntity: Encodable, Sendable {
    let id: String
    let type: String
    let createdAt: Date
    let account: AccountEntity

    init(_ view: NotificationView, baseURL: String) {
        id = String(view.notification.id)
        type = view.notification.type.rawValue
        createdAt = view.notification.createdAt
        account = AccountEntity(view.account, baseURL: baseURL)
    }
}
