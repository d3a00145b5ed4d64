// Uploads and the job queue in SQLite.
import Foundation
import GRDB

extension Upload: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "upload"
}

extension Job: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "job"
}

extension SQLiteStore {
    static func migrateJobs(_ db: Database) throws {
        try db.create(table: "upload") { table in
            table.primaryKey("id", .text)
            table.column("length", .integer).notNull()
            table.column("offset", .integer).notNull()
            table.column("rawMetadata", .text).notNull()
            table.column("filename", .text)
            table.column("showID", .text).notNull().references("show", onDelete: .cascade)
            table.column("title", .text).notNull()
            table.column("season", .integer)
            table.column("number", .integer)
            table.column("description", .text).notNull()
            table.column("publish", .boolean).notNull()
            table.column("accountID", .text).notNull().references("account", onDelete: .cascade)
            table.column("createdAt", .datetime).notNull()
            table.column("updatedAt", .datetime).notNull()
            table.column("expiresAt", .datetime).notNull().indexed()
            table.column("assetID", .text).references("asset", onDelete: .setNull)
            table.column("episodeID", .text)
        }
        try db.create(table: "job") { table in
            table.primaryKey("id", .text)
            table.column("kind", .text).notNull()
            table.column("assetID", .text).notNull().indexed().references("asset", onDelete: .cascade)
            table.column("episodeID", .text).notNull()
            table.column("publish", .boolean).notNull()
            table.column("state", .text).notNull()
            table.column("attempts", .integer).notNull()
            table.column("maxAttempts", .integer).notNull()
            table.column("runAt", .datetime).notNull()
            table.column("leaseOwner", .text)
            table.column("leaseExpiresAt", .datetime)
            table.column("lastError", .text)
            table.column("createdAt", .datetime).notNull()
            table.column("updatedAt", .datetime).notNull()
            table.column("finishedAt", .datetime)
        }
        // The claim's scan: due queued jobs, and running ones whose lease ran out.
        try db.create(index: "job_claim", on: "job", columns: ["state", "runAt"])
    }

    // MARK: Uploads

    public func insert(_ upload: Upload) throws {
        try write { db in try upload.insert(db) }
    }

    public func upload(id: String) throws -> Upload? {
        try read { db in try Upload.fetchOne(db, key: id) }
    }

    public func setUploadOffset(id: String, offset: Int64, expiresAt: Date) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE upload SET offset = ?, expiresAt = ?, updatedAt = ? WHERE id = ?",
                arguments: [offset, expiresAt, Date(), id])
        }
    }

    public func completeUpload(id: String, episode: Episode, asset: Asset, job: Job) throws {
        try write { db in
            try asset.insert(db)
            try episode.insert(db)
            try job.insert(db)
            try db.execute(
                sql: "UPDATE upload SET offset = length, assetID = ?, episodeID = ?, updatedAt = ? WHERE id = ?",
                arguments: [asset.id, episode.id, Date(), id])
        }
    }

    public func deleteUpload(id: String) throws {
        try write { db in _ = try Upload.deleteOne(db, key: id) }
    }

    public func expiredUploads(now: Date) throws -> [Upload] {
        try read { db in
            try Upload.filter(Column("assetID") == nil && Column("expiresAt") < now).fetchAll(db)
        }
    }

    // MARK: Jobs

    public func insert(_ job: Job) throws {
        try write { db in try job.insert(db) }
    }

    public func job(id: String) throws -> Job? {
        try read { db in try Job.fetchOne(db, key: id) }
    }

    public func jobs() throws -> [Job] {
        try read { db in try Job.order(Column("createdAt").desc, Column("id").desc).fetchAll(db) }
    }

    public func job(assetID: String) throws -> Job? {
        try read { db in
            try Job.filter(Column("assetID") == assetID).order(Column("createdAt").desc, Column("id").desc).fetchOne(db)
        }
    }

    public func jobCounts() throws -> [JobState: Int] {
        try read { db in
            var counts: [JobState: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS count FROM job GROUP BY state") {
                if let state = JobState(rawValue: row["state"]) { counts[state] = row["count"] }
            }
            return counts
        }
    }

    public func claimJob(worker: String, now: Date, leaseUntil: Date) throws -> Job? {
        try write { db in
            try Job.fetchOne(
                db,
                sql: """
                    UPDATE job SET state = 'running', leaseOwner = ?, leaseExpiresAt = ?, attempts = attempts + 1, updatedAt = ?
                    WHERE id = (
                        SELECT id FROM job
                        WHERE (state = 'queued' AND runAt <= ?) OR (state = 'running' AND leaseExpiresAt < ?)
                        ORDER BY runAt, id LIMIT 1)
                    RETURNING *
                    """,
                arguments: [worker, leaseUntil, now, now, now])
        }
    }

    public func renewLease(jobID: String, worker: String, until: Date) throws -> Bool {
        try write { db in
            try db.execute(
                sql: "UPDATE job SET leaseExpiresAt = ?, updatedAt = ? WHERE id = ? AND leaseOwner = ? AND state = 'running'",
                arguments: [until, Date(), jobID, worker])
            return db.changesCount == 1
        }
    }

    public func finishJob(id: String, worker: String, now: Date) throws {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE job SET state = 'succeeded', leaseOwner = NULL, leaseExpiresAt = NULL, lastError = NULL,
                        finishedAt = ?, updatedAt = ?
                    WHERE id = ? AND leaseOwner = ?
                    """,
                arguments: [now, now, id, worker])
        }
    }

    public func failJob(id: String, worker: String, reason: String, retryAt: Date?, now: Date) throws {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE job SET state = ?, runAt = COALESCE(?, runAt), leaseOwner = NULL, leaseExpiresAt = NULL,
                        lastError = ?, finishedAt = ?, updatedAt = ?
                    WHERE id = ? AND leaseOwner = ?
                    """,
                arguments: [
                    retryAt == nil ? JobState.failed.rawValue : JobState.queued.rawValue, retryAt, reason,
                    retryAt == nil ? now : nil, now, id, worker,
                ])
        }
    }

    public func releaseJob(id: String, worker: String, now: Date) throws {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE job SET state = 'queued', runAt = ?, attempts = MAX(0, attempts - 1), leaseOwner = NULL,
                        leaseExpiresAt = NULL, updatedAt = ?
                    WHERE id = ? AND leaseOwner = ?
                    """,
                arguments: [now, now, id, worker])
        }
    }

    public func retryJob(id: String, now: Date) throws -> Job {
        try write { db in
            guard var job = try Job.fetchOne(db, key: id) else { throw VeritasError.notFound("no job '\(id)'") }
            guard job.state == .failed else {
                throw VeritasError.conflict("job \(id) is \(job.state.rawValue); only a failed job can be retried")
            }
            job.state = .queued
            job.attempts = 0
            job.runAt = now
            job.lastError = nil
            job.finishedAt = nil
            job.updatedAt = now
            try job.update(db)
            try db.execute(
                sql: "UPDATE asset SET status = 'queued', progress = 0, failureReason = NULL, updatedAt = ? WHERE id = ?",
                arguments: [now, job.assetID])
            return job
        }
    }
}
