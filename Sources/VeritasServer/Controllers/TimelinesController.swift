// Home, public and hashtag timelines (Mastodon's /api/v1/timelines).
import Foundation
import Hummingbird
import VeritasCore

struct TimelinesController: Sendable {
    let installation: Installation
    let publicURL: PublicBaseURL
    let renderer: StatusRenderer
    var social: SocialService { installation.social }

    func register(on router: Router<VeritasRequestContext>) {
        router.get("/api/v1/timelines/home", use: home)
        router.get("/api/v1/timelines/public", use: publicTimeline)
        router.get("/api/v1/timelines/tag/:hashtag", use: tag)
    }

    @Sendable func home(request: Request, context: VeritasRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let page = try Pagination.page(request)
        return try statuses(social.homeTimeline(for: account, page: page), request: request, context: context)
    }

    @Sendable func publicTimeline(request: Request, context: VeritasRequestContext) async throws -> Response {
        try statuses(social.publicTimeline(page: try Pagination.page(request)), request: request, context: context)
    }

    @Sendable func tag(request: Request, context: VeritasRequestContext) async throws -> Response {
        let name = try context.parameters.require("hashtag")
        return try statuses(social.tagTimeline(name, page: try Pagination.page(request)), request: request, context: context)
    }

    /// A page of statuses by id, as the caller sees them, with the `Link` header.
    func statuses(_ ids: [Int64], request: Request, context: VeritasRequestContext) throws -> Response {
        let views = try social.views(ids, viewer: context.account)
        return try Pagination.response(
            json: renderer.json(views), firstID: ids.first, lastID: ids.last, request: request, baseURL: publicURL.string)
    }
}
