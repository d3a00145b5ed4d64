// tus 1.0 resumable uploads at /api/v1/uploads: core, creation (with upload), termination, expiration.
import Foundation
import HTTPTypes
import Hummingbird
import Synchronization
import VeritasCore

/// The tus protocol over `UploadService`: headers in, bytes to disk, offsets out.
///
/// A PATCH streams its body to the upload's file (never holding it in memory), makes it durable
/// every `checkpointBytes` and at the end, and only then records and acknowledges the new offset.
struct UploadsController: Sendable {
    let installation: Installation
    let publicURL: PublicBaseURL
    /// Uploads that a request is writing right now: a second one on the same upload is refused.
    private let busy = BusyUploads()
    static let checkpointBytes: Int64 = 16 << 20
    static let version = "1.0.0"
    static let extensions = "creation,creation-with-upload,termination,expiration"

    init(installation: Installation, publicURL: PublicBaseURL) {
        self.installation = installation
        self.publicURL = publicURL
    }

    var uploads: UploadService { UploadService(installation: installation) }

    func register(on router: Router<VeritasRequestContext>) {
        router.on("/api/v1/uploads", method: .options, use: options)
        let uploads = router.scoped("admin:write")
        uploads.post("/api/v1/uploads", use: create)
        uploads.head("/api/v1/uploads/:id", use: head)
        uploads.patch("/api/v1/uploads/:id", use: patch)
        uploads.delete("/api/v1/uploads/:id", use: terminate)
    }

    @Sendable func options(request: Request, context: VeritasRequestContext) async throws -> Response {
        var headers = tusHeaders()
        headers[.tusVersion] = Self.version
        headers[.tusExtension] = Self.extensions
        headers[.tusMaxSize] = String(installation.config.uploadMaxBytes)
        return Response(status: .noContent, headers: headers)
    }

    @Sendable func create(request: Request, context: VeritasRequestContext) async throws -> Response {
        try await tus(request, context) {
            let account = try context.requireAccount()
            if request.headers[.uploadDeferLength] != nil {
                throw APIError(.badRequest, "Upload-Defer-Length is not supported; send Upload-Length")
            }
            guard let text = request.headers[.uploadLength] else { throw APIError(.badRequest, "Upload-Length is required") }
            guard let length = RequestNumber.byteCount(text, limit: Self.largestNumber) else {
                throw APIError(.badRequest, "Upload-Length must be a whole number of bytes")
            }
            let withBody = request.headers[.contentType].map(Self.isOffsetStream) ?? false
            let declared = Self.contentLength(request)
            if !withBody, let declared, declared > 0 {
                throw APIError(.unsupportedMediaType, "a body with the creation request must be application/offset+octet-stream")
            }
            if withBody, let declared, declared > length {
                throw APIError(.contentTooLarge, "the body goes past Upload-Length \(length)")
            }
            do {
                var upload = try uploads.create(length: length, metadataHeader: request.headers[.uploadMetadata], by: account)
                var headers = tusHeaders()
                headers[.location] = "\(publicURL.string)/api/v1/uploads/\(upload.id)"
                if withBody {
                    upload = try await receive(request.body, into: upload, at: 0, declared: declared)
                    headers[.uploadOffset] = String(upload.offset)
                }
                describe(upload, in: &headers)
                return Response(status: .created, headers: headers)
            } catch let error as VeritasError where error.kind == .invalidInput {
                // A metadata mistake is a malformed request, refused before any byte is sent.
                throw APIError(.badRequest, error.message)
            }
        }
    }

    @Sendable func head(request: Request, context: VeritasRequestContext) async throws -> Response {
        try await tus(request, context) {
            let upload = try uploads.upload(try context.parameters.require("id"), for: try context.requireAccount())
            var headers = tusHeaders()
            headers[.uploadOffset] = String(upload.offset)
            headers[.uploadLength] = String(upload.length)
            if !upload.rawMetadata.isEmpty { headers[.uploadMetadata] = upload.rawMetadata }
            describe(upload, in: &headers)
            return Response(status: .ok, headers: headers)
        }
    }

    @Sendable func patch(request: Request, context: VeritasRequestContext) async throws -> Response {
        try await tus(request, context) {
            let account = try context.requireAccount()
            guard let type = request.headers[.contentType], Self.isOffsetStream(type) else {
                throw APIError(.unsupportedMediaType, "Content-Type must be application/offset+octet-stream")
            }
            guard let text = request.headers[.uploadOffset], let offset = RequestNumber.byteCount(text, limit: Self.largestNumber) else {
                throw APIError(.badRequest, "Upload-Offset must be a whole number of bytes")
            }
            let upload = try uploads.upload(try context.parameters.require("id"), for: account)
            let stored = try await receive(request.body, into: upload, at: offset, declared: Self.contentLength(request))
            var headers = tusHeaders()
            headers[.uploadOffset] = String(stored.offset)
            describe(stored, in: &headers)
            return Response(status: .noContent, headers: headers)
        }
    }

    @Sendable func terminate(request: Request, context: VeritasRequestContext) async throws -> Response {
        try await tus(request, context) {
            let upload = try uploads.upload(try context.parameters.require("id"), for: try context.requireAccount())
            try await exclusively(upload.id) { try uploads.terminate(upload) }
            return Response(status: .noContent, headers: tusHeaders())
        }
    }

    /// Streams `body` into the upload from `offset`, checkpointing as it goes; a dropped
    /// connection keeps what arrived. A body that would go past `Upload-Length` is refused
    /// (`413`) without completing the upload: the bytes after the last checkpoint are dropped.
    private func receive(_ body: RequestBody, into upload: Upload, at offset: Int64, declared: Int64?) async throws -> Upload {
        try await exclusively(upload.id) {
            // Read again under the lock: another request may have moved the offset meanwhile.
            guard var upload = try installation.store.upload(id: upload.id) else { throw APIError(.notFound, "the upload is gone") }
            let tooLong = APIError(.contentTooLarge, "the body goes past Upload-Length \(upload.length)")
            // An offset past the end is refused by `open` (409) below.
            if let declared, offset <= upload.length, declared > upload.length - offset { throw tooLong }
            let file = try uploads.open(upload, at: offset)
            // A checkpoint's fsync runs on a thread of its own while the next bytes arrive; the
            // offset it covers is recorded only once it returns.
            var checkpoint: Task<Upload, any Error>?
            var sinceCheckpoint: Int64 = 0
            do {
                for try await buffer in body {
                    guard Int64(buffer.readableBytes) <= upload.length - file.offset else { throw tooLong }
                    try buffer.withUnsafeReadableBytes { try file.append($0) }
                    sinceCheckpoint += Int64(buffer.readableBytes)
                    if sinceCheckpoint >= Self.checkpointBytes {
                        if let checkpoint { upload = try await checkpoint.value }
                        let (mark, stored, uploads) = (file.mark(), upload, uploads)
                        checkpoint = Task {
                            try await OwnThread.run {
                                try mark.sync()
                                return try uploads.record(stored, durableOffset: mark.offset)
                            }
                        }
                        sinceCheckpoint = 0
                    }
                }
                if let checkpoint { upload = try await checkpoint.value }
            } catch {
                // The file stays open until the checkpoint in flight is done with it.
                if let checkpoint, let stored = try? await checkpoint.value { upload = stored }
                if let error = error as? APIError, error.status == .contentTooLarge { throw error }
                // The client went away: what arrived is kept for the resume.
                _ = try? uploads.checkpoint(upload, file: file)
                throw error
            }
            return try uploads.checkpoint(upload, file: file)
        }
    }

    /// Runs `body` while holding the upload, or answers `423` when another request holds it.
    private func exclusively<T>(_ id: String, _ body: () async throws -> T) async throws -> T {
        guard busy.take(id) else {
            throw APIError(.init(code: 423, reasonPhrase: "Locked"), "another request is writing this upload")
        }
        defer { busy.give(id) }
        return try await body()
    }

    /// Checks `Tus-Resumable` and puts it on every answer, errors included.
    private func tus(_ request: Request, _ context: VeritasRequestContext, _ body: () async throws -> Response) async throws -> Response {
        do {
            guard request.headers[.tusResumable] == Self.version else {
                throw APIError(.preconditionFailed, "Tus-Resumable: \(Self.version) is required", headers: [.tusVersion: Self.version])
            }
            return try await body()
        } catch {
            var failure = APIError.from(error)
            if failure.status == .internalServerError { context.logger.error("upload request failed: \(LogRedaction.message(String(describing: error)))") }
            failure.headers[.tusResumable] = Self.version
            failure.headers[.cacheControl] = "no-store"
            throw failure
        }
    }

    private func tusHeaders() -> HTTPFields {
        [.tusResumable: Self.version, .cacheControl: "no-store"]
    }

    /// Expiry while unfinished; the asset and episode once finished.
    private func describe(_ upload: Upload, in headers: inout HTTPFields) {
        if let assetID = upload.assetID, let episodeID = upload.episodeID {
            headers[.veritasAssetID] = assetID
            headers[.veritasEpisodeID] = episodeID
        } else {
            headers[.uploadExpires] = HTTPDate.format(Int(upload.expiresAt.timeIntervalSince1970))
        }
    }

    /// The body's declared size, when the client sent one.
    static func contentLength(_ request: Request) -> Int64? {
        request.headers[.contentLength].flatMap { RequestNumber.byteCount($0, limit: largestNumber) }
    }

    /// The largest offset or length read from a header: far above any upload limit, and small
    /// enough that the sum of two never overflows.
    static let largestNumber: Int64 = 1 << 61

    static func isOffsetStream(_ contentType: String) -> Bool {
        contentType.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() == "application/offset+octet-stream"
    }
}

/// The ids of uploads held by a request.
final class BusyUploads: Sendable {
    private let ids = Mutex<Set<String>>([])

    /// Holds `id`; false when it is already held.
    func take(_ id: String) -> Bool { ids.withLock { $0.insert(id).inserted } }

    func give(_ id: String) { _ = ids.withLock { $0.remove(id) } }
}

extension HTTPField.Name {
    static let tusResumable = Self("Tus-Resumable")!
    static let tusVersion = Self("Tus-Version")!
    static let tusExtension = Self("Tus-Extension")!
    static let tusMaxSize = Self("Tus-Max-Size")!
    static let uploadLength = Self("Upload-Length")!
    static let uploadDeferLength = Self("Upload-Defer-Length")!
    static let uploadOffset = Self("Upload-Offset")!
    static let uploadMetadata = Self("Upload-Metadata")!
    static let uploadExpires = Self("Upload-Expires")!
    static let veritasAssetID = Self("Veritas-Asset-Id")!
    static let veritasEpisodeID = Self("Veritas-Episode-Id")!
}
