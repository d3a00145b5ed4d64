// Runs an ingest for the catalog: records the episode, transcodes into staging, moves it into place.
import Foundation
import MediaPipeline

/// What to ingest and where it goes in the catalog.
public struct IngestRequest: Sendable {
    public var sourcePath: String
    public var show: String
    /// Empty: the source's title tag, else its file name.
    public var title: String
    public var season: Int?
    public var number: Int?
    /// Empty: the source's description or comment tag, if it has one.
    public var description: String
    public var publish: Bool

    public init(
        sourcePath: String, show: String, title: String, season: Int? = nil, number: Int? = nil,
        description: String = "", publish: Bool = false
    ) {
        self.sourcePath = sourcePath
        self.show = show
        self.title = title
        self.season = season
        self.number = number
        self.description = description
        self.publish = publish
    }
}

/// Turns source files into ready episodes.
///
/// The episode and its asset are recorded first (unpublished, `processing`), the ladder is built
/// in `staging/ID/`, and only a complete ladder is renamed into `assets/ID/`. A failure or an
/// interruption removes the staging folder and marks the asset `failed` with the reason, so a
/// viewer can never reach a partial asset.
public struct Ingestor: Sendable {
    let installation: Installation

    public init(installation: Installation) {
        self.installation = installation
    }

    /// Ingests `request` on the calling thread; returns the episode, published if asked.
    public func ingest(
        _ request: IngestRequest, progress: (IngestProgress) -> Void = { _ in }, isCancelled: () -> Bool = { false }
    ) throws -> Episode {
        let store = installation.store
        let catalog = CatalogService(store: store)
        let show = try catalog.show(request.show)
        let source = URL(fileURLWithPath: request.sourcePath).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw VeritasError.invalid("no such file: \(request.sourcePath)")
        }
        guard FileManager.default.isReadableFile(atPath: source.path) else {
            throw VeritasError.invalid("cannot read \(request.sourcePath): permission denied")
        }
        var title = request.title.trimmingCharacters(in: .whitespacesAndNewlines)
        var description = request.description
        if title.isEmpty || description.isEmpty {
            // A file that cannot be probed fails in the transcode below, with its asset recorded.
            let tags = (try? MediaProbe.probe(path: source.path))?.tags
            if title.isEmpty { title = tags?.title ?? source.deletingPathExtension().lastPathComponent }
            if description.isEmpty { description = tags?.description ?? "" }
        }
        let (episode, asset) = try draft(
            show: show, title: title, season: request.season, number: request.number, description: description,
            sourcePath: source.path, status: .processing)
        try store.insert(episode, asset: asset)
        do {
            try transcode(assetID: asset.id, progress: progress, isCancelled: isCancelled)
        } catch {
            let reason = Self.reason(error)
            try? store.markFailed(assetID: asset.id, reason: reason)
            throw VeritasError(.mediaFailed, "ingest of \(request.sourcePath) failed: \(reason)")
        }
        if request.publish { try catalog.publishEpisode(episode.id) }
        return try catalog.episode(episode.id)
    }

    /// A new episode of `show` and its asset (with a fresh content key) for a source file; not
    /// stored yet.
    public func draft(
        show: Show, title: String, season: Int?, number: Int?, description: String, sourcePath: String, status: AssetStatus
    ) throws -> (Episode, Asset) {
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty else { throw VeritasError.invalid("an episode needs a title") }
        let ids = IDGenerator.shared
        let assetID = ids.next()
        var asset = Asset(
            id: assetID, sourcePath: sourcePath,
            sealedKey: try installation.keyVault.seal(SegmentCipher.randomKey(), assetID: assetID))
        asset.status = status
        let episode = Episode(
            id: ids.next(), showID: show.id, season: season, number: number, title: title, description: description,
            assetID: assetID)
        return (episode, asset)
    }

    /// Builds the asset's ladder from its source in `staging/ID/`, moves it into `assets/ID/` and
    /// marks the asset ready. On failure the staging folder is gone and the error is rethrown; the
    /// caller decides what the asset's state becomes (failed, or queued for another attempt).
    ///
    /// With `onPlayable` the ladder is built in `assets/ID/` itself and published as it grows: the
    /// asset is marked playable, and `onPlayable` called, as soon as every rendition has its first
    /// segment. A failure then leaves the folder to the caller (another attempt rewrites the same
    /// segments; a final failure removes it).
    public func transcode(
        assetID: String, progress: (IngestProgress) -> Void = { _ in }, isCancelled: () -> Bool = { false },
        onPlayable: (@Sendable () -> Void)? = nil
    ) throws {
        let store = installation.store
        guard let asset = try store.asset(id: assetID) else { throw VeritasError.notFound("no asset \(assetID)") }
        let key = try installation.keyVault.open(asset.sealedKey, assetID: assetID)
        try store.markProcessing(assetID: assetID)
        let destination = installation.paths.asset(assetID)
        let staging = onPlayable == nil ? installation.paths.stagingAsset(assetID) : destination
        // What an earlier, interrupted attempt staged is not trusted.
        if onPlayable == nil { try? FileManager.default.removeItem(at: staging) }
        do {
            // A show also offered as a podcast has its audio at podcast loudness, video or not.
            let show = try store.episode(assetID: assetID).flatMap { try store.show($0.showID) }
            let pipeline = IngestPipeline(
                sourcePath: asset.sourcePath, outputDirectory: staging, key: key, settings: installation.config.transcode,
                normalisesVideoAudio: show?.offersAudioFeed ?? false)
            var lastSaved = Date.distantPast
            var playable: (@Sendable () -> Void)?
            if let onPlayable {
                playable = {
                    try? store.markPlayable(assetID: assetID)
                    onPlayable()
                }
            }
            let (info, packaged) = try pipeline.run(
                progress: { update in
                    progress(update)
                    if let fraction = update.fraction, Date().timeIntervalSince(lastSaved) >= 1 {
                        lastSaved = Date()
                        try? store.updateProgress(assetID: assetID, progress: fraction)
                    }
                },
                isCancelled: isCancelled,
                onPlayable: playable)
            if staging != destination {
                try? FileManager.default.removeItem(at: destination)
                try FileManager.default.moveItem(at: staging, to: destination)
            }
            try store.markReady(assetID: assetID, source: info, packaged: packaged)
        } catch {
            if staging != destination { try? FileManager.default.removeItem(at: staging) }
            throw error
        }
    }

    /// A failure in one sentence, for the asset's `failureReason` and the job's `lastError`.
    public static func reason(_ error: any Error) -> String {
        (error as? MediaError)?.reason ?? (error as? VeritasError)?.message ?? MediaPaths.reason(error)
    }
}
