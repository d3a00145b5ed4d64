// Persistence of resumable uploads and of the background job queue.
import Foundation

/// Uploads in progress and finished.
public protocol UploadStore: Sendable {
    func insert(_ upload: Upload) throws
    func upload(id: String) throws -> Upload?
    /// Records bytes made durable (and pushes the expiry back).
    func setUploadOffset(id: String, offset: Int64, expiresAt: Date) throws
    /// The last byte arrived: records the episode, its queued asset and the ingest job, and ties
    /// them to the upload, in one transaction.
    func completeUpload(id: String, episode: Episode, asset: Asset, job: Job) throws
    func deleteUpload(id: String) throws
    /// Unfinished uploads whose expiry has passed.
    func expiredUploads(now: Date) throws -> [Upload]
}

/// The job queue.
///
/// Claiming is one atomic statement in SQLite (its single writer serialises workers). On
/// PostgreSQL the same claim is `SELECT id FROM job WHERE … ORDER BY runAt LIMIT 1 FOR UPDATE SKIP
/// LOCKED` followed by the same `UPDATE`, so many servers share one queue without waiting on each
/// other.
public protocol JobStore: Sendable {
    func insert(_ job: Job) throws
    func job(id: String) throws -> Job?
    /// Newest first.
    func jobs() throws -> [Job]
    /// The newest job of an asset.
    func job(assetID: String) throws -> Job?
    /// How many jobs are in each state.
    func jobCounts() throws -> [JobState: Int]
    /// Takes the next job that is due, or whose worker's lease has expired, for `worker` until
    /// `leaseUntil`; counts the attempt.
    func claimJob(worker: String, now: Date, leaseUntil: Date) throws -> Job?
    /// Extends `worker`'s lease; false when the lease was lost (taken over or the job changed).
    func renewLease(jobID: String, worker: String, until: Date) throws -> Bool
    /// The work is done.
    func finishJob(id: String, worker: String, now: Date) throws
    /// The attempt failed: queued again at `retryAt`, or `failed` for good when it is nil.
    func failJob(id: String, worker: String, reason: String, retryAt: Date?, now: Date) throws
    /// Hands a job back untouched (the server is stopping): queued at once, the attempt not counted.
    func releaseJob(id: String, worker: String, now: Date) throws
    /// Queues a failed job again with fresh attempts, and its asset with it.
    func retryJob(id: String, now: Date) throws -> Job
}
