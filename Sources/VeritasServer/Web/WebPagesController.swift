// The catalog pages a browser sees: home, a show, an episode with its player, the account.
import Foundation
import Hummingbird
import VeritasCore

/// `/`, `/shows/:slug`, `/episodes/:id` and `/account`. What anyone may see (posters,
/// descriptions, which plans unlock a show) comes from the catalog; whether the page gets a
/// stream at all is the playback endpoint's decision, asked server-side.
struct WebPagesController: Sendable {
    let installation: Installation
    let renderer: WebRenderer
    let sessions: WebSessions
    let playback: PlaybackController
    let privateFeeds: PodcastFeeds
    let publicURL: PublicBaseURL
    /// Whether an installed video.js is served (the player then falls back to it).
    let hasVideoJS: Bool

    func register(on group: RouterGroup<VeritasRequestContext>) {
        group.get("/", use: home)
        group.get("/shows/:slug", use: show)
        group.get("/episodes/:id", use: episode)
        group.get("/account", use: account)
    }

    // MARK: - Page data

    struct ShowCard: Sendable {
        let slug, title, description, kind: String
        let poster: Poster?
        let access: String
        let isFree: Bool
        /// `1 episode`, `3 episodes`.
        let episodeCount: String
    }

    struct Poster: Sendable {
        let url, alt: String
    }

    struct PlanOffer: Sendable {
        let id, name, price: String
    }

    /// A non-empty list, so a template can wrap it in markup only when there is something:
    /// `{{#plans}}<ul>{{#items}}…{{/items}}</ul>{{/plans}}`.
    struct NonEmpty<Item: Sendable>: Sendable {
        let items: [Item]

        static func of(_ items: [Item]) -> NonEmpty? { items.isEmpty ? nil : NonEmpty(items: items) }
    }

    struct EpisodeRow: Sendable {
        let id, title, description: String
        /// Season and number; nil when the episode has neither.
        let label: String?
        let duration: String
        let poster: Poster?
        let canPlay: Bool
    }

    struct HomePage: Sendable {
        let shows: [ShowCard]
        let plans: NonEmpty<PlanOffer>?
        let signedIn: Bool
    }

    /// Whether the viewer follows the show's feed account (its episode announcements).
    struct Follow: Sendable {
        let following: Bool
    }

    struct ShowPage: Sendable {
        let show: ShowCard
        let follow: Follow?
        let episodes: [EpisodeRow]
        let canPlay: Bool
        let plans: NonEmpty<PlanOffer>?
        let signedIn: Bool
        let loginPath: String
    }

    struct Rung: Sendable {
        let label, url: String
    }

    struct Player: Sendable {
        let hlsURL: String
        let rungs: [Rung]
        let videoJS: Bool
    }

    struct EpisodePage: Sendable {
        let id, title, description: String
        let label: String?
        let duration, published: String
        let showSlug, showTitle: String
        let poster: Poster?
        let player: Player?
        let plans: NonEmpty<PlanOffer>?
        let signedIn: Bool
        let loginPath: String
    }

    struct SubscriptionRow: Sendable {
        let plan, status, periodEnd: String
        let isActive: Bool
    }

    struct FeedRow: Sendable {
        let slug, title, url: String
        let isPrivate: Bool
    }

    struct AccountPage: Sendable {
        let username, displayName, email: String
        let isAdmin: Bool
        let subscriptions: NonEmpty<SubscriptionRow>?
        let feeds: NonEmpty<FeedRow>?
        let plans: NonEmpty<PlanOffer>?
        let hasActive: Bool
    }

    // MARK: - Handlers

    @Sendable func home(request: Request, context: VeritasRequestContext) async throws -> Response {
        let session = try sessions.session(for: request)
        let shows = try visibleShows(session.account).map(card)
        return try renderer.page(
            "home", title: "Veritas", session: session,
            page: HomePage(shows: shows, plans: .of(try offers(nil)), signedIn: session.account != nil),
            section: .init(catalog: true))
    }

    @Sendable func show(request: Request, context: VeritasRequestContext) async throws -> Response {
        let session = try sessions.session(for: request)
        let slug = try context.parameters.require("slug")
        guard let show = try installation.store.show(slug), show.isPublished || session.account?.isAdmin == true
        else { throw APIError(.notFound, "show not found") }
        let canPlay = try canPlay(session.account, show)
        let rows = try playableListings(show, session.account).map { listing in
            EpisodeRow(
                id: listing.episode.id, title: listing.episode.title, description: listing.episode.description,
                label: Self.label(listing.episode), duration: Self.duration(listing.asset?.duration),
                poster: poster(listing.asset, listing.episode), canPlay: canPlay)
        }
        var follow: Follow?
        if let account = session.account, let feedAccountID = show.accountID {
            follow = Follow(following: try installation.social.relationships(of: account, with: [feedAccountID]).first?.following ?? false)
        }
        return try renderer.page(
            "show", title: show.title, session: session,
            page: ShowPage(
                show: try card(show), follow: follow, episodes: rows, canPlay: canPlay, plans: canPlay ? nil : .of(try offers(show)),
                signedIn: session.account != nil, loginPath: Self.loginPath(returningTo: "/shows/\(show.slug)")),
            section: .init(catalog: true))
    }

    @Sendable func episode(request: Request, context: VeritasRequestContext) async throws -> Response {
        let session = try sessions.session(for: request)
        let id = try context.parameters.require("id")
        guard id.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw APIError(.notFound, "episode not found") }
        let (episode, show, asset) = try CatalogController.visibleEpisode(id, for: session.account, installation)
        var player: Player?
        if let account = session.account, try canPlay(account, show) {
            let answer = try playback.playback(for: account, episodeID: episode.id)
            let rungs = try installation.store.renditions(assetID: asset.id)
                .filter { $0.kind == "video" && $0.height != nil }
                .sorted { ($0.height ?? 0) > ($1.height ?? 0) }
                .map { Rung(label: $0.name, url: answer.hlsUrl.replacingOccurrences(of: "/master.m3u8", with: "/master-\($0.name).m3u8")) }
            player = Player(hlsURL: answer.hlsUrl, rungs: rungs, videoJS: hasVideoJS)
        }
        let published = episode.publishedAt.map { $0.formatted(.dateTime.year().month(.wide).day()) } ?? "Not published"
        return try renderer.page(
            "episode", title: "\(episode.title) · \(show.title)", session: session,
            page: EpisodePage(
                id: episode.id, title: episode.title, description: episode.description, label: Self.label(episode),
                duration: Self.duration(asset.duration), published: published, showSlug: show.slug, showTitle: show.title,
                poster: poster(asset, episode), player: player, plans: player == nil ? .of(try offers(show)) : nil,
                signedIn: session.account != nil, loginPath: Self.loginPath(returningTo: "/episodes/\(episode.id)")),
            section: .init(catalog: true))
    }

    @Sendable func account(request: Request, context: VeritasRequestContext) async throws -> Response {
        let session = try sessions.session(for: request)
        let account = try session.requireAccount(returningTo: "/account")
        let now = installation.clock.now
        let subscriptions = try installation.store.subscriptions(accountID: account.id)
            .sorted { $0.currentPeriodEnd > $1.currentPeriodEnd }
            .map { subscription in
                let status = subscription.effectiveStatus(at: now)
                return SubscriptionRow(
                    plan: (try? installation.billing.plan(subscription.planID).name) ?? subscription.planID,
                    status: status.rawValue.capitalized,
                    periodEnd: subscription.currentPeriodEnd.formatted(.dateTime.year().month(.wide).day()),
                    isActive: status == .active)
            }
        var feeds: [FeedRow] = []
        for show in try installation.catalog.shows() where show.isPublished && show.offersAudioFeed {
            if show.isFree {
                feeds.append(FeedRow(slug: show.slug, title: show.title, url: "\(publicURL.string)/podcasts/\(show.slug)/feed.xml", isPrivate: false))
            } else if try installation.billing.canPlay(account: account, show: show) {
                let token = try privateFeeds.token(for: account, show: show)
                feeds.append(FeedRow(slug: show.slug, title: show.title, url: "\(publicURL.string)/podcasts/private/\(token)/feed.xml", isPrivate: true))
            }
        }
        let hasActive = subscriptions.contains { $0.isActive }
        return try renderer.page(
            "account", title: "Your account", session: session,
            page: AccountPage(
                username: account.username, displayName: account.displayName, email: account.email, isAdmin: account.isAdmin,
                subscriptions: .of(subscriptions), feeds: .of(feeds), plans: hasActive ? nil : .of(try offers(nil)), hasActive: hasActive),
            section: .init(account: true))
    }

    // MARK: - Helpers

    private func visibleShows(_ viewer: Account?) throws -> [Show] {
        try installation.catalog.shows().filter { $0.isPublished || viewer?.isAdmin == true }
    }

    /// Published episodes that can be streamed (ready, or already playable while still
    /// processing), newest first; admins also see unpublished ones.
    private func playableListings(_ show: Show, _ viewer: Account?) throws -> [EpisodeListing] {
        try installation.catalog.episodes(show: show.id)
            .filter { ($0.episode.isPublished || viewer?.isAdmin == true) && $0.asset?.isStreamable == true }
            .sorted { ($0.episode.publishedAt ?? $0.episode.createdAt) > ($1.episode.publishedAt ?? $1.episode.createdAt) }
    }

    private func card(_ show: Show) throws -> ShowCard {
        let listings = try playableListings(show, nil)
        let latest = listings.first { $0.asset?.poster != nil }
        let plans = try installation.catalog.unlockingPlans(show).sorted().compactMap { try? installation.billing.plan($0).name }
        return ShowCard(
            slug: show.slug, title: show.title, description: show.description, kind: show.kind.rawValue.capitalized,
            poster: latest.flatMap { poster($0.asset, $0.episode) },
            access: show.isFree ? "Free" : plans.joined(separator: " or "), isFree: show.isFree,
            episodeCount: listings.count == 1 ? "1 episode" : "\(listings.count) episodes")
    }

    private func poster(_ asset: Asset?, _ episode: Episode) -> Poster? {
        guard let asset, asset.poster != nil else { return nil }
        return Poster(url: "/media/\(asset.id)/poster.jpg", alt: "Poster of \(episode.title)")
    }

    private func canPlay(_ account: Account?, _ show: Show) throws -> Bool {
        guard let account else { return false }
        return try installation.billing.canPlay(account: account, show: show)
    }

    /// The plans that unlock `show` (every plan when nil), with their prices.
    private func offers(_ show: Show?) throws -> [PlanOffer] {
        let unlocking = try show.map { try installation.catalog.unlockingPlans($0) }
        if show?.isFree == true { return [] }
        return try installation.billing.plans()
            .filter { unlocking?.contains($0.id) ?? true }
            .map { PlanOffer(id: $0.id, name: $0.name, price: "\($0.price) \($0.currency) a \($0.period == .month ? "month" : "year")") }
    }

    static func loginPath(returningTo path: String) -> String {
        "/login?next=" + (path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "%2F")
    }

    /// `Season 1 · Episode 3` and the like; nil without numbers.
    static func label(_ episode: Episode) -> String? {
        let parts = [episode.season.map { "Season \($0)" }, episode.number.map { "Episode \($0)" }].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: " · ")
    }

    /// `1:02:03` or `4:05`.
    static func duration(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite, seconds >= 0 else { return "" }
        let total = Int(seconds.rounded())
        let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
        let two = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
        return hours > 0 ? "\(hours):\(two(minutes)):\(two(secs))" : "\(minutes):\(two(secs))"
    }
}
