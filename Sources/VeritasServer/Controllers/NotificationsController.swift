// The caller's notifications: follows, favourites, retruths and mentions.
import Foundation
import Hummingbird
import VeritasCore

struct NotificationsController: Sendable {
    let installation: Installation
    let publicURL: PublicBaseURL
    let renderer: StatusRenderer
    var social: SocialService { installation.social }

    func register(on router: Router<VeritasRequestContext>) {
        let reads = router.scoped("read:notifications"), writes = router.scoped("write:notifications")
        reads.get("/api/v1/notifications", use: list)
        reads.get("/api/v1/notifications/:id", use: show)
        writes.post("/api/v1/notifications/clear", use: clear)
        writes.post("/api/v1/notifications/:id/dismiss", use: dismiss)
    }

    /// `types[]` keeps only those kinds, `exclude_types[]` drops kinds; unknown names are ignored.
    @Sendable func list(request: Request, context: VeritasRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let only = request.queryValues("types"), excluded = request.queryValues("exclude_types")
        let types = Set(only.isEmpty ? NotificationKind.allCases : only.compactMap(NotificationKind.init(rawValue:)))
            .subtracting(excluded.compactMap(NotificationKind.init(rawValue:)))
        let views = try social.notifications(for: account, types: types, page: try Pagination.page(request))
        return try Pagination.response(
            json: renderer.json(views), firstID: views.first?.notification.id, lastID: views.last?.notification.id, request: request,
            baseURL: publicURL.string)
    }

    @Sendable func show(request: Request, context: VeritasRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.numericID()
        // `numericID` is above zero and below Int64.max's successor, so the bounds cannot overflow.
        let page = PageRequest(maxID: id == .max ? nil : id + 1, sinceID: id - 1, limit: 1)
        guard let view = try social.notifications(for: account, types: Set(NotificationKind.allCases), page: page).first else {
            throw APIError(.notFound, "Record not found")
        }
        return .json(try renderer.json(view))
    }

    @Sendable func clear(request: Request, context: VeritasRequestContext) async throws -> [String: String] {
        try installation.store.deleteNotifications(accountID: try context.requireAccount().id, id: nil)
        return [:]
    }

    @Sendable func dismiss(request: Request, context: VeritasRequestContext) async throws -> [String: String] {
        try installation.store.deleteNotifications(accountID: try context.requireAccount().id, id: try context.numericID())
        return [:]
    }
}
