// The narrow interface between the domain and whatever database holds the catalog.
import Foundation
import MediaPipeline

/// Persistence of shows, episodes, assets and renditions. `SQLiteStore` implements it today; a
/// PostgreSQL store implements the same protocol when several servers share one database.
public protocol CatalogStore: Sendable {
    /// Adds a show; `conflict` when the slug is taken.
    func insert(_ show: Show) throws
    /// The show whose id or slug is `key`.
    func show(_ key: String) throws -> Show?
    /// Every show, oldest first.
    func shows() throws -> [Show]
    func setShowPublished(id: String, _ published: Bool) throws

    /// Adds an episode and its (not yet ready) asset in one transaction.
    func insert(_ episode: Episode, asset: Asset) throws
    func episode(id: String) throws -> Episode?
    /// The episode whose media is this asset.
    func episode(assetID: String) throws -> Episode?
    /// Episodes of one show (or all), by season, number and creation.
    func episodes(showID: String?) throws -> [Episode]
    func setEpisodePublished(id: String, at date: Date?) throws

    func asset(id: String) throws -> Asset?
    /// The assets of these ids that exist, by id (one query for a whole listing).
    func assets(ids: [String]) throws -> [String: Asset]
    func renditions(assetID: String) throws -> [Rendition]
    func markProcessing(assetID: String) throws
    /// The asset's playlists can be streamed while its ingest goes on.
    func markPlayable(assetID: String) throws
    /// Waiting for (another) ingest attempt.
    func markQueued(assetID: String) throws
    func updateProgress(assetID: String, progress: Double) throws
    func markFailed(assetID: String, reason: String) throws
    /// Records a finished ingest: the asset becomes `ready` with its renditions, atomically.
    func markReady(assetID: String, source: SourceInfo, packaged: PackagedAsset) throws
}
