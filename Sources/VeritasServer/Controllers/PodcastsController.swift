// Podcast feeds: public RSS for free shows, private per-subscriber RSS and enclosures for paid ones.
import Foundation
import Hummingbird
import Synchronization
import VeritasCore

struct PodcastsController: Sendable {
    let installation: Installation
    let files: FileSender
    let publicURL: PublicBaseURL
    /// Private feed tokens (its secret is read once, when the router is built).
    let privateFeeds: PodcastFeeds
    let feeds = FeedCache()
    var baseURL: String { publicURL.string }

    func register(on router: Router<VeritasRequestContext>) {
        router.get("/podcasts/:slug/feed.xml", use: publicFeed)
        router.get("/podcasts/:slug/episodes/:file", use: publicEnclosure)
        router.get("/podcasts/private/:token/feed.xml", use: privateFeed)
        router.get("/podcasts/private/:token/episodes/:file", use: privateEnclosure)
        router.scoped("read").get("/api/v1/shows/:id/feed", use: feedURL)
        router.scoped("write").delete("/api/v1/shows/:id/feed", use: resetFeedURL)
    }

    // MARK: Public (free shows)

    @Sendable func publicFeed(request: Request, context: VeritasRequestContext) async throws -> Response {
        let show = try freeShow(context)
        return try rss(show, prefix: "\(baseURL)/podcasts/\(show.slug)", isPrivate: false, request: request)
    }

    @Sendable func publicEnclosure(request: Request, context: VeritasRequestContext) async throws -> Response {
        try await enclosure(of: freeShow(context), request: request, context: context, cacheControl: "public, max-age=86400")
    }

    // MARK: Private (per subscriber)

    @Sendable func privateFeed(request: Request, context: VeritasRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        let (_, show) = try privateFeeds.resolve(token)
        guard show.offersAudioFeed else { throw APIError(.notFound, "this show has no podcast feed") }
        return try rss(show, prefix: "\(baseURL)/podcasts/private/\(token)", isPrivate: true, request: request)
    }

    @Sendable func privateEnclosure(request: Request, context: VeritasRequestContext) async throws -> Response {
        let (_, show) = try privateFeeds.resolve(try context.parameters.require("token"))
        guard show.offersAudioFeed else { throw APIError(.notFound, "this show has no podcast feed") }
        return try await enclosure(of: show, request: request, context: context, cacheControl: "private, max-age=3600")
    }

    struct FeedURL: ResponseEncodable {
        let rssUrl: String
    }

    /// The caller's private feed URL for a show they may play (`403 subscription_required`
    /// otherwise); the same URL every time until reset.
    @Sendable func feedURL(request: Request, context: VeritasRequestContext) async throws -> FeedURL {
        let (account, show) = try caller(context)
        return FeedURL(rssUrl: privateURL(try privateFeeds.token(for: account, show: show)))
    }

    /// Replaces the caller's feed URL; the old one answers 403 from now on.
    @Sendable func resetFeedURL(request: Request, context: VeritasRequestContext) async throws -> FeedURL {
        let (account, show) = try caller(context)
        return FeedURL(rssUrl: privateURL(try privateFeeds.reset(for: account, show: show)))
    }

    // MARK: Helpers

    private func privateURL(_ token: String) -> String { "\(baseURL)/podcasts/private/\(token)/feed.xml" }

    private func caller(_ context: VeritasRequestContext) throws -> (Account, Show) {
        let account = try context.requireAccount()
        guard let show = try installation.store.show(try context.parameters.require("id")), show.isPublished else {
            throw APIError(.notFound, "show not found")
        }
        guard show.offersAudioFeed else { throw APIError(.notFound, "this show has no podcast feed") }
        return (account, show)
    }

    /// A published free show with podcast feeds, by slug; paid shows have private feeds only.
    private func freeShow(_ context: VeritasRequestContext) throws -> Show {
        guard let show = try installation.store.show(try context.parameters.require("slug")), show.isPublished, show.offersAudioFeed
        else { throw APIError(.notFound, "show not found") }
        guard show.isFree else { throw APIError(.forbidden, "subscription_required") }
        return show
    }

    /// Published episodes with ready audio enclosures, newest first.
    private func items(_ show: Show, enclosurePrefix: String) throws -> [PodcastItem] {
        try installation.catalog.episodes(show: show.id)
            .compactMap { listing -> PodcastItem? in
                guard listing.episode.isPublished, let asset = listing.asset, asset.status == .ready, asset.enclosure != nil,
                    let size = FileVersion(path: enclosurePath(asset))?.size
                else { return nil }
                let hasChapters = !(asset.source?.chapters ?? []).isEmpty
                return PodcastItem(
                    episode: listing.episode, asset: asset, enclosureURL: "\(enclosurePrefix)/\(listing.episode.id).m4a", enclosureLength: size,
                    chaptersURL: hasChapters ? "\(enclosurePrefix)/\(listing.episode.id).chapters.json" : nil)
            }
            .sorted { ($0.episode.publishedAt ?? $0.episode.createdAt) > ($1.episode.publishedAt ?? $1.episode.createdAt) }
    }

    private func enclosurePath(_ asset: Asset) -> String {
        installation.paths.assets.appendingPathComponent(asset.id).appendingPathComponent("enclosure.m4a").path
    }

    /// The feed of `show` with its URLs under `prefix` (`…/feed.xml`, `…/episodes/ID.m4a`).
    private func rss(_ show: Show, prefix: String, isPrivate: Bool, request: Request) throws -> Response {
        let gzip = FeedCache.acceptsGzip(request.headers[.acceptEncoding])
        let body = try feeds.body(
            show: show.id, isPrivate: isPrivate, prefix: PodcastRSS.escape(prefix), gzip: gzip, now: installation.clock.now
        ) {
            PodcastRSS(
                show: show, items: try items(show, enclosurePrefix: PodcastRSS.prefixPlaceholder + "/episodes"),
                selfURL: PodcastRSS.prefixPlaceholder + "/feed.xml", publicFeedURL: "\(baseURL)/podcasts/\(show.slug)/feed.xml",
                baseURL: baseURL, isPrivate: isPrivate
            ).xml
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/rss+xml; charset=utf-8"
        headers[.cacheControl] = isPrivate ? "private, no-store" : "public, max-age=300"
        headers[.vary] = "Accept-Encoding"
        if gzip { headers[.contentEncoding] = "gzip" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }

    /// `EPISODE.m4a` (the enclosure) or `EPISODE.chapters.json` of a published episode of
    /// `show`, or 404.
    private func enclosure(
        of show: Show, request: Request, context: VeritasRequestContext, cacheControl: String
    ) async throws -> Response {
        let file = try context.parameters.require("file")
        let suffix = [".m4a", ".chapters.json"].first { file.hasSuffix($0) }
        guard let suffix, let episode = try installation.store.episode(id: String(file.dropLast(suffix.count))),
            episode.showID == show.id, episode.isPublished, let asset = try installation.store.asset(id: episode.assetID),
            asset.status == .ready, asset.enclosure != nil
        else { throw APIError(.notFound, "not found") }
        if suffix == ".chapters.json" {
            guard let marks = asset.source?.chapters, !marks.isEmpty else { throw APIError(.notFound, "not found") }
            var headers = HTTPFields()
            headers[.contentType] = "application/json+chapters"
            headers[.cacheControl] = cacheControl
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: .init(bytes: try PodcastChapters(marks).json())))
        }
        return try await files.send("\(asset.id)/enclosure.m4a", for: request, context: context, cacheControl: cacheControl)
    }
}
