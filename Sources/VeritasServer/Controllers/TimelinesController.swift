// Home, public and hashtag timelines (Mastodon's /api/v1/timelines).
import Foundation
import Hummingbird
import VeritasCore

struct TimelinesController: Sendable {
    let installation: Installation
    let renderer: StatusRenderer
    var social: SocialService { installation.social }

    func register(on router: Router<VeritasRequestContext>) {
        let reads = router.scoped("read:statuses")
        reads.get("/api/v1/timelines/home", use: home)
        reads.get("/api/v1/timelines/public", use: publicTimeline)
        reads.get("/api/v1/timelines/tag/:hashtag", use: tag)
    }

    @Sendable func home(request: Request, context: VeritasRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let page = try Pagination.page(request)
        return try renderer.page(social.homeTimeline(for: account, page: page), request: request)
    }

    @Sendable func publicTimeline(request: Request, context: VeritasRequestContext) async throws -> Response {
        try renderer.page(social.publicTimeline(page: try Pagination.page(request), viewer: context.account), request: request)
    }

    @Sendable func tag(request: Request, context: VeritasRequestContext) async throws -> Response {
        let name = try context.parameters.require("hashtag")
        return try renderer.page(social.tagTimeline(name, page: try Pagination.page(request), viewer: context.account), request: request)
    }
}
