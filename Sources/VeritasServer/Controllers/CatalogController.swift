// The catalog for clients: shows, their episodes, one episode, and public posters.
import Foundation
import Hummingbird
import MediaPipeline
import VeritasCore

struct CatalogController: Sendable {
    let installation: Installation
    let files: FileSender
    let publicURL: PublicBaseURL
    var baseURL: String { publicURL.string }

    func register(on router: Router<VeritasRequestContext>) {
        let reads = router.scoped("read")
        reads.get("/api/v1/shows", use: shows)
        reads.get("/api/v1/shows/:id", use: show)
        reads.get("/api/v1/shows/:id/episodes", use: episodes)
        reads.get("/api/v1/episodes/:id", use: episode)
        router.get("/media/:asset/poster.jpg", use: poster)
        router.get(RouterPath(Self.artworkPath), use: placeholderArtwork)
    }

    /// Paged by position (`limit` ≤ 40, `offset`), with a `Link` to the next page.
    @Sendable func shows(request: Request, context: VeritasRequestContext) async throws -> Response {
        let visible = try installation.catalog.shows().filter { $0.isPublished || context.account?.isAdmin == true }
        return try Pagination.offsetPage(visible, request: request, baseURL: baseURL) { try entity($0, context) }
    }

    @Sendable func show(request: Request, context: VeritasRequestContext) async throws -> ShowEntity {
        try entity(visibleShow(try context.parameters.require("id"), context), context)
    }

    /// Paged as `shows` is.
    @Sendable func episodes(request: Request, context: VeritasRequestContext) async throws -> Response {
        let show = try visibleShow(try context.parameters.require("id"), context)
        let visible = try installation.catalog.episodes(show: show.id)
            .filter { ($0.episode.isPublished || context.account?.isAdmin == true) && $0.asset?.isStreamable == true }
        return try Pagination.offsetPage(visible, request: request, baseURL: baseURL) { try entity($0.episode, show: show, asset: $0.asset, context) }
    }

    @Sendable func episode(request: Request, context: VeritasRequestContext) async throws -> EpisodeEntity {
        let (episode, show, asset) = try Self.visibleEpisode(try context.parameters.require("id"), for: context.account, installation)
        return try entity(episode, show: show, asset: asset, context)
    }

    /// Posters are public (a feed shows them to everyone) for published episodes.
    @Sendable func poster(request: Request, context: VeritasRequestContext) async throws -> Response {
        let assetID = try context.parameters.require("asset")
        guard assetID.allSatisfy({ $0.isASCII && $0.isNumber }), let episode = try installation.store.episode(assetID: assetID),
            (try? Self.visibleEpisode(episode.id, for: context.account, installation)) != nil
        else { throw APIError(.notFound, "not found") }
        return try await files.send("\(assetID)/poster.jpg", for: request, context: context, cacheControl: "public, max-age=86400")
    }

    /// The show with this id or slug if the caller may see it (published, or caller is admin).
    private func visibleShow(_ key: String, _ context: VeritasRequestContext) throws -> Show {
        guard let show = try installation.store.show(key), show.isPublished || context.account?.isAdmin == true else {
            throw APIError(.notFound, "show not found")
        }
        return show
    }

    /// A published episode of a published show with ready media (admins see unpublished ones).
    static func visibleEpisode(_ id: String, for account: Account?, _ installation: Installation) throws -> (Episode, Show, Asset) {
        let store = installation.store
        guard let episode = try store.episode(id: id), let show = try store.show(episode.showID),
            let asset = try store.asset(id: episode.assetID), asset.isStreamable,
            (episode.isPublished && show.isPublished) || account?.isAdmin == true
        else { throw APIError(.notFound, "episode not found") }
        return (episode, show, asset)
    }

    static func posterURL(_ asset: Asset, baseURL: String) -> String? {
        asset.poster == nil ? nil : "\(baseURL)/media/\(asset.id)/poster.jpg"
    }

    /// The asset's poster, or the generated artwork when it has none (an audio file without
    /// cover art): players are always given a picture.
    static func posterOrArtworkURL(_ asset: Asset, baseURL: String) -> String {
        posterURL(asset, baseURL: baseURL) ?? baseURL + artworkPath
    }

    static let artworkPath = "/media/artwork.jpg"

    /// The generated picture shown for episodes without a poster of their own, drawn on first
    /// use (a static is initialised once, lazily and thread-safely), not at every start.
    private static let artwork = try? PlaceholderArtwork.jpeg()

    @Sendable func placeholderArtwork(request: Request, context: VeritasRequestContext) async throws -> Response {
        guard let artwork = Self.artwork else { throw VeritasError(.storage, "the placeholder artwork could not be encoded") }
        return Response(
            status: .ok, headers: [.contentType: "image/jpeg", .cacheControl: "public, max-age=86400"],
            body: .init(byteBuffer: ByteBuffer(bytes: artwork)))
    }

    private func entity(_ show: Show, _ context: VeritasRequestContext) throws -> ShowEntity {
        let plans = try installation.catalog.unlockingPlans(show).sorted()
        let count = try installation.catalog.episodes(show: show.id).filter { $0.episode.isPublished }.count
        return ShowEntity(
            id: show.id, slug: show.slug, title: show.title, description: show.description, kind: show.kind.rawValue,
            access: show.isFree ? "free" : "plans", plans: plans, url: "\(baseURL)/shows/\(show.slug)", episodesCount: count,
            canPlay: try context.account.map { try installation.billing.canPlay(account: $0, show: show) } ?? false)
    }

    private func entity(_ episode: Episode, show: Show, asset: Asset?, _ context: VeritasRequestContext) throws -> EpisodeEntity {
        EpisodeEntity(
            id: episode.id, showId: show.id, showSlug: show.slug, season: episode.season, number: episode.number,
            title: episode.title, description: episode.description, publishedAt: episode.publishedAt, duration: asset?.duration,
            assetId: episode.assetID, status: asset?.status.rawValue ?? "missing",
            posterUrl: asset.map { Self.posterOrArtworkURL($0, baseURL: baseURL) }, url: "\(baseURL)/episodes/\(episode.id)",
            canPlay: try context.account.map { try installation.billing.canPlay(account: $0, show: show) } ?? false,
            plans: show.isFree ? [] : try installation.catalog.unlockingPlans(show).sorted())
    }
}

// Entities answered as JSON with the API encoder.
extension ShowEntity: ResponseEncodable {}
extension EpisodeEntity: ResponseEncodable {}
extension PlanEntity: ResponseEncodable {}
extension SubscriptionEntity: ResponseEncodable {}
extension AccountEntity: ResponseEncodable {}
extension RelationshipEntity: ResponseEncodable {}
