// A resumable upload (tus 1.0): how much of the file has arrived and what it will become.
import Foundation

/// One upload, from creation until its bytes become an episode's source.
public struct Upload: Codable, Sendable, Equatable {
    public var id: String
    /// The whole file's size in bytes, declared at creation.
    public var length: Int64
    /// Bytes received and made durable; the next PATCH must start here.
    public var offset: Int64
    /// The `Upload-Metadata` header as the client sent it, echoed on `HEAD`.
    public var rawMetadata: String
    public var filename: String?
    public var showID: String
    public var title: String
    public var season: Int?
    public var number: Int?
    public var description: String
    public var publish: Bool
    /// The admin who created it.
    public var accountID: String
    public var createdAt: Date
    public var updatedAt: Date
    /// An unfinished upload not touched by then is removed.
    public var expiresAt: Date
    /// Set once the last byte arrived and the ingest was queued.
    public var assetID: String?
    public var episodeID: String?

    public var isComplete: Bool { assetID != nil }
}
