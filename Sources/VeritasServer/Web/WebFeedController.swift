// The feed in the browser: timelines, posting, replies, retruths and likes as plain forms.
import Foundation
import Hummingbird
import VeritasCore

/// `/feed` shows the home (or public) timeline twenty truths at a time; every action is a form
/// that posts to a `/feed/…` route and comes back with `303`, so it works with no script. The
/// rules (length, visibility, who may see what) are `SocialService`'s.
struct WebFeedController: Sendable {
    let installation: Installation
    let renderer: WebRenderer
    let sessions: WebSessions
    let publicURL: PublicBaseURL
    var social: SocialService { installation.social }

    func register(on group: RouterGroup<VeritasRequestContext>) {
        group.get("/feed", use: feed)
        group.post("/feed/statuses", use: post)
        group.post("/feed/statuses/:id/:action", use: act)
        group.post("/shows/:slug/:action", use: followShow)
    }

    // MARK: - Page data

    struct Announcement: Sendable {
        let url, showTitle, episodeTitle, posterURL, posterAlt: String
        let hasPoster, canPlay: Bool
    }

    struct Truth: Sendable {
        let id, authorName, authorHandle, initial, createdAt, createdLabel: String
        /// Sanitised HTML the server built from the plain text (`StatusText`), shown unescaped.
        let content: String
        let retruthedBy: String?
        let replyingTo: String?
        /// Counts, nil when zero (a mustache section renders for any number, 0 included).
        let replies, retruths, likes: Int?
        let liked, retruthed, isAnnouncement: Bool
        let announcement: Announcement?
        let replyMention: String
    }

    struct FeedPage: Sendable {
        let truths: [Truth]
        let isHome: Bool
        let olderURL: String?
        let newestURL: String?
        let timelineQuery: String
        let maxLength: Int
    }

    struct PostForm: Decodable {
        var status: String?
        var inReplyToID: String?
        var visibility: String?
        var csrfToken: String?
        var timeline: String?

        enum CodingKeys: String, CodingKey {
            case status, inReplyToID = "in_reply_to_id", visibility, csrfToken = "csrf_token", timeline
        }
    }

    struct ActionForm: Decodable {
        var csrfToken: String?
        var timeline: String?

        enum CodingKeys: String, CodingKey {
            case csrfToken = "csrf_token", timeline
        }
    }

    // MARK: - Handlers

    @Sendable func feed(request: Request, context: VeritasRequestContext) async throws -> Response {
        let session = try sessions.session(for: request)
        let account = try session.requireAccount(returningTo: "/feed")
        let isHome = request.uri.queryParameters.get("timeline") != "public"
        let page = try Pagination.page(request)
        let timeline = isHome ? try social.homeTimeline(for: account, page: page) : try social.publicTimeline(page: page, viewer: account)
        let (ids, truths) = (timeline.ids, timeline.views.map(truth))
        let query = isHome ? "" : "timeline=public&"
        let olderURL = ids.count >= page.limit ? ids.last.map { "/feed?\(query)max_id=\($0)" } : nil
        let newestURL = page.maxID != nil || page.minID != nil || page.sinceID != nil ? "/feed" + (isHome ? "" : "?timeline=public") : nil
        return try renderer.page(
            "feed", title: isHome ? "Your feed" : "Everyone", session: session,
            page: FeedPage(
                truths: truths, isHome: isHome, olderURL: olderURL, newestURL: newestURL, timelineQuery: isHome ? "home" : "public",
                maxLength: StatusText.maxLength),
            section: .init(feed: true))
    }

    @Sendable func post(request: Request, context: VeritasRequestContext) async throws -> Response {
        let form = try await request.decode(as: PostForm.self, context: context)
        let session = try sessions.session(for: request)
        try sessions.verify(form.csrfToken, for: session)
        let account = try session.requireAccount(returningTo: "/feed")
        var replyTo: Int64?
        if let text = form.inReplyToID, !text.isEmpty {
            guard let id = RequestNumber.id(text) else { throw APIError(.notFound, "Record not found") }
            replyTo = id
        }
        guard let visibility = StatusVisibility(rawValue: form.visibility ?? "public") else {
            throw APIError(.unprocessableContent, "Validation failed: Visibility is not included in the list")
        }
        let posted = try await social.post(StatusDraft(text: form.status ?? "", visibility: visibility, inReplyToID: replyTo), by: account)
        return WebRedirect(to: Self.back(form.timeline) + "#truth-\(posted.status.id)").response
    }

    /// `reblog`, `unreblog`, `favourite`, `unfavourite` on a truth the caller can see.
    @Sendable func act(request: Request, context: VeritasRequestContext) async throws -> Response {
        let form = try await request.decode(as: ActionForm.self, context: context)
        let session = try sessions.session(for: request)
        try sessions.verify(form.csrfToken, for: session)
        let account = try session.requireAccount(returningTo: "/feed")
        let id = try context.numericID()
        switch try context.parameters.require("action") {
        case "reblog": _ = try social.reblog(id, by: account)
        case "unreblog": _ = try social.unreblog(id, by: account)
        case "favourite": _ = try social.favourite(id, by: account)
        case "unfavourite": _ = try social.unfavourite(id, by: account)
        default: throw APIError(.notFound, "not found")
        }
        return WebRedirect(to: Self.back(form.timeline) + "#truth-\(id)").response
    }

    /// `follow` or `unfollow` a show's feed account, so its announcements reach the home feed.
    @Sendable func followShow(request: Request, context: VeritasRequestContext) async throws -> Response {
        let form = try await request.decode(as: ActionForm.self, context: context)
        let session = try sessions.session(for: request)
        try sessions.verify(form.csrfToken, for: session)
        let slug = try context.parameters.require("slug")
        let account = try session.requireAccount(returningTo: "/shows/\(slug)")
        guard let show = try installation.store.show(slug), show.isPublished || account.isAdmin else {
            throw APIError(.notFound, "show not found")
        }
        let feedAccount = try social.feedAccount(for: show)
        switch try context.parameters.require("action") {
        case "follow": _ = try social.follow(feedAccount.id, by: account)
        case "unfollow": _ = try social.unfollow(feedAccount.id, by: account)
        default: throw APIError(.notFound, "not found")
        }
        return WebRedirect(to: "/shows/\(show.slug)").response
    }

    // MARK: - Helpers

    static func count(_ value: Int) -> Int? { value > 0 ? value : nil }

    static func back(_ timeline: String?) -> String { timeline == "public" ? "/feed?timeline=public" : "/feed" }

    /// What the page shows of a status: a retruth shows its original, credited to the booster.
    private func truth(_ view: StatusView) -> Truth {
        let shown = view.reblog ?? view
        // The same content HTML (escaped text, built links) as the API's `content`.
        let entity = StatusEntity(shown, baseURL: publicURL.string)
        let announcement = shown.announcement.map { item in
            let poster = item.asset.flatMap { $0.poster == nil ? nil : "/media/\($0.id)/poster.jpg" }
            return Announcement(
                url: "/episodes/\(item.episode.id)", showTitle: item.show.title, episodeTitle: item.episode.title,
                posterURL: poster ?? "", posterAlt: "Poster of \(item.episode.title)", hasPoster: poster != nil, canPlay: item.canPlay)
        }
        let author = shown.account
        return Truth(
            id: String(shown.status.id), authorName: author.displayName, authorHandle: "@" + author.username,
            initial: String(author.displayName.first ?? author.username.first ?? "?").uppercased(),
            createdAt: APIJSON.timestamp(shown.status.createdAt),
            createdLabel: shown.status.createdAt.formatted(.dateTime.month(.abbreviated).day().hour().minute()),
            content: entity.content, retruthedBy: view.reblog == nil ? nil : view.account.displayName,
            replyingTo: shown.status.inReplyToID == nil ? nil : (shown.mentions.first.map { "@" + $0.username } ?? "a truth"),
            replies: Self.count(shown.status.repliesCount), retruths: Self.count(shown.status.reblogsCount),
            likes: Self.count(shown.status.favouritesCount),
            liked: shown.favourited, retruthed: shown.reblogged, isAnnouncement: announcement != nil, announcement: announcement,
            replyMention: "@\(author.username) ")
    }
}
