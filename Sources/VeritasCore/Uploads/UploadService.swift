// The rules of resumable uploads: who may upload, where bytes go, and what a finished upload becomes.
import Foundation

/// Creates uploads, records their progress, and turns a finished one into a queued ingest.
public struct UploadService: Sendable {
    let installation: Installation

    public init(installation: Installation) {
        self.installation = installation
    }

    var store: any VeritasStore { installation.store }
    var now: Date { installation.clock.now }
    var expiry: TimeInterval { TimeInterval(installation.config.uploadExpirySeconds) }

    /// Starts an upload of `length` bytes for `account` (an admin). The metadata must name an
    /// existing show and a title, so a mistake is refused now rather than after the last byte.
    public func create(length: Int64, metadataHeader: String?, by account: Account) throws -> Upload {
        guard account.isAdmin else { throw VeritasError(.forbidden, "only an admin may upload") }
        guard length > 0 else { throw VeritasError.invalid("Upload-Length must be at least 1 byte") }
        guard length <= installation.config.uploadMaxBytes else {
            throw VeritasError(.tooLarge, "the upload is larger than the limit of \(installation.config.uploadMaxBytes) bytes")
        }
        let metadata = try UploadMetadata(header: metadataHeader)
        guard let slug = metadata["show"], !slug.isEmpty else { throw VeritasError.invalid("metadata must name the show") }
        guard let show = try store.show(slug) else { throw VeritasError.invalid("metadata names an unknown show '\(slug)'") }
        let title = (metadata["title"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty else { throw VeritasError.invalid("metadata must give the episode a title") }
        let now = self.now
        let upload = Upload(
            id: IDGenerator.shared.next(now: now), length: length, offset: 0, rawMetadata: metadataHeader ?? "",
            filename: metadata["filename"], showID: show.id, title: title, season: try metadata.integer("season"),
            number: try metadata.integer("episode"), description: metadata["description"] ?? "", publish: try metadata.flag("publish"),
            accountID: account.id, createdAt: now, updatedAt: now, expiresAt: now.addingTimeInterval(expiry))
        try store.insert(upload)
        _ = try PartFile(url: installation.paths.upload(upload.id), offset: 0)
        PartFile.syncDirectory(installation.paths.uploads)
        return upload
    }

    /// The upload `id` as `account` may see it: `notFound` when unknown or terminated, `gone` when
    /// expired.
    public func upload(_ id: String, for account: Account) throws -> Upload {
        guard account.isAdmin else { throw VeritasError(.forbidden, "only an admin may upload") }
        guard IDGenerator.isWellFormed(id), let upload = try store.upload(id: id) else {
            throw VeritasError.notFound("no upload '\(id)'")
        }
        guard upload.isComplete || upload.expiresAt > now else { throw VeritasError(.gone, "the upload \(id) expired") }
        return upload
    }

    /// Opens the upload's file to append at `offset`, which must be the acknowledged offset.
    public func open(_ upload: Upload, at offset: Int64) throws -> PartFile {
        guard !upload.isComplete || offset == upload.length else { throw VeritasError.conflict("the upload is already complete") }
        guard offset == upload.offset else {
            throw VeritasError.conflict("Upload-Offset \(offset) does not match the server's offset \(upload.offset)")
        }
        return try PartFile(url: installation.paths.upload(upload.id), offset: offset)
    }

    /// Makes what `file` received durable and records it; queues the ingest when the upload is
    /// complete. Returns the upload as stored.
    @discardableResult
    public func checkpoint(_ upload: Upload, file: PartFile) throws -> Upload {
        try file.sync()
        return try record(upload, durableOffset: file.offset)
    }

    /// Records that the upload's bytes up to `offset` are on the disk (the caller has synced
    /// them); queues the ingest when that is all of them. Returns the upload as stored.
    public func record(_ upload: Upload, durableOffset offset: Int64) throws -> Upload {
        var upload = upload
        guard offset != upload.offset || (offset == upload.length && !upload.isComplete) else { return upload }
        upload.offset = offset
        upload.expiresAt = now.addingTimeInterval(expiry)
        guard upload.offset == upload.length else {
            try store.setUploadOffset(id: upload.id, offset: upload.offset, expiresAt: upload.expiresAt)
            return upload
        }
        let show = try CatalogService(store: store).show(upload.showID)
        let (episode, asset) = try Ingestor(installation: installation).draft(
            show: show, title: upload.title, season: upload.season, number: upload.number, description: upload.description,
            sourcePath: installation.paths.upload(upload.id).path, status: .queued)
        let job = Job(id: IDGenerator.shared.next(), ingestOf: episode, publish: upload.publish, now: now)
        try store.completeUpload(id: upload.id, episode: episode, asset: asset, job: job)
        upload.assetID = asset.id
        upload.episodeID = episode.id
        return upload
    }

    /// Ends an upload (tus termination). An unfinished upload's bytes are deleted; a finished
    /// one's file is its asset's source and stays.
    public func terminate(_ upload: Upload) throws {
        try store.deleteUpload(id: upload.id)
        if !upload.isComplete { try? FileManager.default.removeItem(at: installation.paths.upload(upload.id)) }
    }

    /// Removes unfinished uploads whose expiry passed; returns how many.
    @discardableResult
    public func removeExpired() throws -> Int {
        let expired = try store.expiredUploads(now: now)
        for upload in expired { try terminate(upload) }
        return expired.count
    }
}
