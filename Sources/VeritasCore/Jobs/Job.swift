// A unit of background work (today: one ingest) with its lease, attempts and outcome.
import Foundation

/// Where a job is in its life.
public enum JobState: String, Codable, Sendable {
    /// Waiting for a worker (again, after a retry's back-off, once `runAt` has passed).
    case queued
    /// Held by a worker whose lease has not expired.
    case running
    case succeeded
    /// Given up, with `lastError` saying why; `veritas jobs retry` queues it again.
    case failed
}

/// One queued or finished piece of work.
///
/// A worker claims a job by taking a lease; it renews the lease while it works. A job whose lease
/// expired (its worker died) is claimable again, so a crash never strands work.
public struct Job: Codable, Sendable, Equatable {
    /// What kinds of work exist.
    public enum Kind: String, Codable, Sendable {
        /// Transcode the asset's source into its ladder, then publish the episode if asked.
        case ingest
    }

    public var id: String
    public var kind: Kind
    public var assetID: String
    public var episodeID: String
    /// Publish the episode once it is playable.
    public var publish: Bool
    public var state: JobState
    /// Claims so far, including the current one.
    public var attempts: Int
    public var maxAttempts: Int
    /// Not claimable before this instant (back-off after a failed attempt).
    public var runAt: Date
    public var leaseOwner: String?
    public var leaseExpiresAt: Date?
    public var lastError: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var finishedAt: Date?

    public init(id: String, ingestOf episode: Episode, publish: Bool, maxAttempts: Int = 3, now: Date) {
        self.id = id
        kind = .ingest
        assetID = episode.assetID
        episodeID = episode.id
        self.publish = publish
        state = .queued
        attempts = 0
        self.maxAttempts = maxAttempts
        runAt = now
        createdAt = now
        updatedAt = now
    }

    /// The wait before attempt `attempts + 1`: 5 s, 20 s, 80 s, … capped at ten minutes.
    public static func backoff(afterAttempt attempts: Int) -> TimeInterval {
        min(600, 5 * pow(4, Double(max(0, attempts - 1))))
    }
}
