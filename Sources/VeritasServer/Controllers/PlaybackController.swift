// POST /api/v1/episodes/:id/playback: a signed, expiring HLS URL for an entitled viewer.
import Foundation
import Hummingbird
import VeritasCore

struct PlaybackController: Sendable {
    let installation: Installation
    let keys: TokenKeys
    let publicURL: PublicBaseURL
    var baseURL: String { publicURL.string }

    func register(on router: Router<VeritasRequestContext>) {
        // Starting playback reads the catalog; it changes nothing a client could see.
        router.scoped("read").post("/api/v1/episodes/:id/playback", use: start)
    }

    struct Playback: ResponseEncodable {
        let hlsUrl: String
        let expiresAt: Date
        let posterUrl: String
        /// Still being transcoded: the playlists grow (EVENT) until the ingest ends.
        let processing: Bool
    }

    @Sendable func start(request: Request, context: VeritasRequestContext) async throws -> Playback {
        try playback(for: try context.requireAccount(), episodeID: try context.parameters.require("id"))
    }

    /// A signed HLS URL of episode `episodeID` for `account`: `404` unless the episode is
    /// visible to it, `403 subscription_required` unless it is entitled (the web player asks this too).
    func playback(for account: Account, episodeID: String) throws -> Playback {
        let (episode, show, asset) = try CatalogController.visibleEpisode(episodeID, for: account, installation)
        guard try installation.billing.canPlay(account: account, show: show) else {
            throw APIError(.forbidden, "subscription_required")
        }
        let expiresAt = Int64(installation.clock.now.timeIntervalSince1970) + Int64(installation.config.tokenTTL)
        let token = keys.signer.sign(accountID: account.id, assetID: episode.assetID, expiresAt: expiresAt)
        return Playback(
            hlsUrl: "\(baseURL)/play/\(token)/master.m3u8",
            expiresAt: Date(timeIntervalSince1970: Double(expiresAt)),
            posterUrl: CatalogController.posterOrArtworkURL(asset, baseURL: baseURL), processing: asset.isProcessing)
    }
}
