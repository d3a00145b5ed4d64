// Catalog operations with their rules: valid slugs, only ready episodes get published.
import Foundation

/// An episode with what listings show of its show and asset.
public struct EpisodeListing: Sendable, Equatable {
    public var episode: Episode
    public var show: Show
    public var asset: Asset?
}

/// Adds, publishes and lists shows and episodes.
public struct CatalogService: Sendable {
    let store: any VeritasStore

    public init(store: any VeritasStore) {
        self.store = store
    }

    /// Adds a show, with the feed account that will announce its episodes; it is free, or unlocked by `planIDs` (which must exist), or by no plan yet.
    @discardableResult
    public func addShow(
        slug: String, title: String, description: String = "", kind: ShowKind, isFree: Bool, planIDs: [String] = [],
        audioFeed: Bool = false
    ) throws -> Show {
        guard Show.isValidSlug(slug) else {
            throw VeritasError.invalid("slug '\(slug)' must be 1–64 lowercase letters, digits or hyphens")
        }
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty else { throw VeritasError.invalid("a show needs a title") }
        guard !(isFree && !planIDs.isEmpty) else { throw VeritasError.invalid("a show is either free or unlocked by plans, not both") }
        for planID in planIDs where try store.plan(id: planID) == nil {
            throw VeritasError.notFound("no plan '\(planID)'")
        }
        var show = Show(id: IDGenerator.shared.next(), slug: slug, title: title, description: description, kind: kind, isFree: isFree)
        show.hasAudioFeed = audioFeed
        try store.insert(show)
        if !planIDs.isEmpty { try store.setUnlockingPlans(showID: show.id, planIDs: planIDs) }
        show.accountID = try social.feedAccount(for: show).id
        return show
    }

    /// The show with this id or slug, or `notFound`.
    public func show(_ key: String) throws -> Show {
        guard let show = try store.show(key) else { throw VeritasError.notFound("no show '\(key)'") }
        return show
    }

    public func shows() throws -> [Show] { try store.shows() }

    /// The ids of the plans that unlock a show.
    public func unlockingPlans(_ show: Show) throws -> Set<String> { try store.unlockingPlans(showID: show.id) }

    public func publishShow(_ key: String) throws {
        try store.setShowPublished(id: show(key).id, true)
    }

    /// The episode with this id, or `notFound`.
    public func episode(_ id: String) throws -> Episode {
        guard let episode = try store.episode(id: id) else { throw VeritasError.notFound("no episode '\(id)'") }
        return episode
    }

    var social: SocialService { SocialService(store: store) }

    /// Publishes an episode whose asset is ready (or playable while it is transcoded), and has its
    /// show announce it in the feed.
    public func publishEpisode(_ id: String, at date: Date = Date()) throws {
        let episode = try episode(id)
        guard let asset = try store.asset(id: episode.assetID), asset.isStreamable else {
            let status = try store.asset(id: episode.assetID).map { $0.status.rawValue } ?? "missing"
            throw VeritasError.conflict("episode \(id) cannot be published: its media is \(status)")
        }
        try store.setEpisodePublished(id: id, at: episode.publishedAt ?? date)
        try social.announce(self.episode(id))
    }

    /// Withdraws an episode and its announcement.
    public func unpublishEpisode(_ id: String) throws {
        try store.setEpisodePublished(id: episode(id).id, at: nil)
        try social.withdrawAnnouncement(episodeID: id)
    }

    /// Episodes of one show (by id or slug) or of all shows, with their show and asset.
    public func episodes(show key: String? = nil) throws -> [EpisodeListing] {
        let shows = try store.shows()
        let filter = try key.map { try show($0).id }
        let byID = Dictionary(uniqueKeysWithValues: shows.map { ($0.id, $0) })
        let episodes = try store.episodes(showID: filter)
        let assets = try store.assets(ids: episodes.map(\.assetID))
        return episodes.compactMap { episode in
            byID[episode.showID].map { EpisodeListing(episode: episode, show: $0, asset: assets[episode.assetID]) }
        }
    }
}
