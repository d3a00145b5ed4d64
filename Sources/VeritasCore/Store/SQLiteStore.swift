// The catalog in SQLite through GRDB: WAL mode, so the CLI and a server share the file safely.
import Foundation
import GRDB
import MediaPipeline

extension Show: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "show"
}

extension Episode: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "episode"
}

extension Asset: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "asset"
}

extension Rendition: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "rendition"
}

extension Account: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "account"

    /// Read by position, in the table's column order (as for `Status`): every authenticated
    /// request and every status on a page reads accounts.
    public init(row: Row) throws {
        id = row[0]
        username = row[1]
        email = row[2]
        displayName = row[3]
        passwordHash = row[4]
        guard let role = AccountRole(rawValue: row[5]) else { throw VeritasError(.storage, "account \(id) has an unknown role") }
        self.role = role
        isSuspended = row[6]
        createdAt = row[7]
        note = row[8]
        isBot = row[9]
        followersCount = row[10]
        followingCount = row[11]
        statusesCount = row[12]
        lastStatusAt = row[13]
        fanOutOnRead = row[14]
    }
}

extension OAuthApp: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "oauthApp"
}

extension AccessToken: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "accessToken"

    /// Read by position, in the table's column order (as for `Status`): every authenticated
    /// request reads its token.
    public init(row: Row) throws {
        id = row[0]
        tokenHash = row[1]
        appID = row[2]
        accountID = row[3]
        scopes = row[4]
        createdAt = row[5]
        revokedAt = row[6]
    }
}

extension AuthorizationCode: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "authorizationCode"
}

extension Plan: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "plan"
}

extension Subscription: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "subscription"
}

extension PodcastFeed: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "podcastFeed"
}

/// `VeritasStore` over one SQLite file.
public final class SQLiteStore: VeritasStore {
    let pool: DatabasePool
    private let checkpointer: WALCheckpointer
    /// Rows timelines are shown from, kept between reads.
    let rows = RowCache()
    /// Posts committed together.
    let batcher: WriteBatcher

    /// Opens (creating and migrating if needed) the database at `path`.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // The CLI and a running server write the same file; wait for each other's transactions.
        configuration.busyMode = .timeout(10)
        // In WAL mode, NORMAL keeps every committed transaction through a crash of the process
        // (only a power cut can lose the last ones) without an fsync per commit.
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // No commit copies the log into the database: `checkpointer` does, beside the writer.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            batcher = WriteBatcher(pool: pool)
            try Self.migrator.migrate(pool)
            checkpointer = try WALCheckpointer(path: path)
        } catch {
            throw VeritasError(.storage, "cannot open the database at \(path): \(Self.describe(error))")
        }
    }

    static func describe(_ error: Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return "\(error)"
    }

    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.write(body)
        } catch {
            throw Self.writeFailure(error)
        }
    }

    /// The error a caller sees when a write fails: ours as they are, SQLite's described.
    static func writeFailure(_ error: any Error) -> any Error {
        if error is VeritasError { return error }
        return VeritasError(.storage, "database write failed: \(describe(error))")
    }

    /// Runs reads on a reader connection without wrapping them in a transaction (a third of the
    /// cost of a short read): each statement sees the latest commit, and the reads that take
    /// several statements (a page of statuses and what shows them) tolerate a row changing in
    /// between — a status deleted meanwhile just drops out of the page.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.unsafeRead(body)
        } catch {
            throw VeritasError(.storage, "database read failed: \(Self.describe(error))")
        }
    }

    public func insert(_ show: Show) throws {
        try write { db in
            if try Show.filter(Column("slug") == show.slug).fetchCount(db) > 0 {
                throw VeritasError.conflict("a show with slug \(show.slug) already exists")
            }
            try show.insert(db)
        }
    }

    public func show(_ key: String) throws -> Show? {
        try read { db in try Show.fetchOne(db.cachedStatement(sql: "SELECT * FROM show WHERE id = ? OR slug = ?"), arguments: [key, key]) }
    }

    public func shows() throws -> [Show] {
        try read { db in try Show.order(Column("createdAt"), Column("id")).fetchAll(db) }
    }

    public func setShowPublished(id: String, _ published: Bool) throws {
        try write { db in
            try db.execute(sql: "UPDATE show SET isPublished = ? WHERE id = ?", arguments: [published, id])
        }
    }

    public func insert(_ episode: Episode, asset: Asset) throws {
        try write { db in
            try asset.insert(db)
            try episode.insert(db)
        }
    }

    public func episode(id: String) throws -> Episode? {
        try read { db in try Episode.fetchOne(db, key: id) }
    }

    public func episode(assetID: String) throws -> Episode? {
        try read { db in try Episode.filter(Column("assetID") == assetID).fetchOne(db) }
    }

    public func episodes(showID: String?) throws -> [Episode] {
        try read { db in
            var request = Episode.all()
            if let showID { request = request.filter(Column("showID") == showID) }
            return try request.order(Column("showID"), Column("season"), Column("number"), Column("createdAt")).fetchAll(db)
        }
    }

    public func setEpisodePublished(id: String, at date: Date?) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE episode SET isPublished = ?, publishedAt = ? WHERE id = ?",
                arguments: [date != nil, date, id])
        }
    }

    public func asset(id: String) throws -> Asset? {
        try read { db in try Asset.fetchOne(db, key: id) }
    }

    public func assets(ids: [String]) throws -> [String: Asset] {
        let assets = try read { db in try Asset.fetchAll(db, keys: ids) }
        return Dictionary(assets.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func renditions(assetID: String) throws -> [Rendition] {
        try read { db in
            try Rendition.filter(Column("assetID") == assetID).order(Column("kind").desc, Column("bandwidth").desc).fetchAll(db)
        }
    }

    public func markProcessing(assetID: String) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE asset SET status = 'processing', progress = 0, failureReason = NULL, updatedAt = ? WHERE id = ?",
                arguments: [Date(), assetID])
        }
    }

    public func markPlayable(assetID: String) throws {
        try write { db in
            try db.execute(sql: "UPDATE asset SET isPlayable = 1, updatedAt = ? WHERE id = ?", arguments: [Date(), assetID])
        }
    }

    public func markQueued(assetID: String) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE asset SET status = 'queued', progress = 0, updatedAt = ? WHERE id = ?", arguments: [Date(), assetID])
        }
    }

    public func updateProgress(assetID: String, progress: Double) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE asset SET progress = ?, updatedAt = ? WHERE id = ? AND status = 'processing'",
                arguments: [min(1, max(0, progress)), Date(), assetID])
        }
    }

    public func markFailed(assetID: String, reason: String) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE asset SET status = 'failed', failureReason = ?, updatedAt = ? WHERE id = ?",
                arguments: [reason, Date(), assetID])
        }
    }

    public func markReady(assetID: String, source: SourceInfo, packaged: PackagedAsset) throws {
        try write { db in
            guard var asset = try Asset.fetchOne(db, key: assetID) else {
                throw VeritasError.notFound("no asset \(assetID)")
            }
            asset.status = .ready
            asset.progress = 1
            asset.failureReason = nil
            asset.source = source
            asset.duration = packaged.duration
            asset.masterPlaylist = packaged.master
            asset.poster = packaged.poster
            asset.enclosure = packaged.enclosure
            asset.updatedAt = Date()
            try asset.update(db)
            try Rendition.filter(Column("assetID") == assetID).deleteAll(db)
            for rendition in packaged.renditions { try Rendition(assetID: assetID, rendition).insert(db) }
        }
    }

    /// The schema, one named migration per change; never edit a shipped migration.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-catalog") { db in
            try db.create(table: "show") { table in
                table.primaryKey("id", .text)
                table.column("slug", .text).notNull().unique()
                table.column("title", .text).notNull()
                table.column("description", .text).notNull().defaults(to: "")
                table.column("kind", .text).notNull()
                table.column("isFree", .boolean).notNull().defaults(to: false)
                table.column("isPublished", .boolean).notNull().defaults(to: false)
                table.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "asset") { table in
                table.primaryKey("id", .text)
                table.column("status", .text).notNull()
                table.column("progress", .double).notNull().defaults(to: 0)
                table.column("failureReason", .text)
                table.column("sourcePath", .text).notNull()
                table.column("source", .text)
                table.column("duration", .double)
                table.column("sealedKey", .blob).notNull()
                table.column("masterPlaylist", .text)
                table.column("poster", .text)
                table.column("enclosure", .text)
                table.column("createdAt", .datetime).notNull()
                table.column("updatedAt", .datetime).notNull()
            }
            try db.create(table: "episode") { table in
                table.primaryKey("id", .text)
                table.column("showID", .text).notNull().indexed().references("show", onDelete: .cascade)
                table.column("season", .integer)
                table.column("number", .integer)
                table.column("title", .text).notNull()
                table.column("description", .text).notNull().defaults(to: "")
                table.column("assetID", .text).notNull().unique().references("asset")
                table.column("isPublished", .boolean).notNull().defaults(to: false)
                table.column("publishedAt", .datetime)
                table.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "rendition") { table in
                table.column("assetID", .text).notNull().references("asset", onDelete: .cascade)
                table.column("name", .text).notNull()
                table.column("kind", .text).notNull()
                table.column("width", .integer)
                table.column("height", .integer)
                table.column("frameRate", .double)
                table.column("bandwidth", .integer).notNull()
                table.column("averageBandwidth", .integer).notNull()
                table.column("codecs", .text).notNull()
                table.column("playlist", .text).notNull()
                table.column("iFramePlaylist", .text)
                table.column("segmentCount", .integer).notNull()
                table.primaryKey(["assetID", "name"])
            }
        }
        migrator.registerMigration("v2-accounts-billing") { db in
            try db.create(table: "account") { table in
                table.primaryKey("id", .text)
                table.column("username", .text).notNull().unique(onConflict: .abort).collate(.nocase)
                table.column("email", .text).notNull().unique(onConflict: .abort).collate(.nocase)
                table.column("displayName", .text).notNull()
                table.column("passwordHash", .text).notNull()
                table.column("role", .text).notNull()
                table.column("isSuspended", .boolean).notNull().defaults(to: false)
                table.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "oauthApp") { table in
                table.primaryKey("id", .text)
                table.column("name", .text).notNull()
                table.column("website", .text)
                table.column("redirectURIs", .text).notNull()
                table.column("scopes", .text).notNull()
                table.column("clientID", .text).notNull().unique()
                table.column("clientSecret", .text).notNull()
                table.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "accessToken") { table in
                table.primaryKey("id", .text)
                table.column("tokenHash", .text).notNull().unique()
                table.column("appID", .text).references("oauthApp", onDelete: .cascade)
                table.column("accountID", .text).indexed().references("account", onDelete: .cascade)
                table.column("scopes", .text).notNull()
                table.column("createdAt", .datetime).notNull()
                table.column("revokedAt", .datetime)
            }
            try db.create(table: "authorizationCode") { table in
                table.primaryKey("codeHash", .text)
                table.column("appID", .text).notNull().references("oauthApp", onDelete: .cascade)
                table.column("accountID", .text).notNull().references("account", onDelete: .cascade)
                table.column("redirectURI", .text).notNull()
                table.column("scopes", .text).notNull()
                table.column("expiresAt", .datetime).notNull()
                table.column("usedAt", .datetime)
            }
            try db.create(table: "plan") { table in
                table.primaryKey("id", .text)
                table.column("name", .text).notNull()
                table.column("priceMinor", .integer).notNull()
                table.column("currency", .text).notNull()
                table.column("period", .text).notNull()
                table.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "showPlan") { table in
                table.column("showID", .text).notNull().references("show", onDelete: .cascade)
                table.column("planID", .text).notNull().indexed().references("plan", onDelete: .cascade)
                table.primaryKey(["showID", "planID"])
            }
            try db.create(table: "subscription") { table in
                table.primaryKey("id", .text)
                table.column("accountID", .text).notNull().indexed().references("account", onDelete: .cascade)
                table.column("planID", .text).notNull().indexed().references("plan")
                table.column("status", .text).notNull()
                table.column("currentPeriodEnd", .datetime).notNull()
                table.column("createdAt", .datetime).notNull()
                table.column("updatedAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("v3-social", migrate: migrateSocial)
        migrator.registerMigration("v4-podcast-feeds") { db in
            try db.create(table: "podcastFeed") { table in
                table.column("accountID", .text).notNull().references("account", onDelete: .cascade)
                table.column("showID", .text).notNull().references("show", onDelete: .cascade)
                table.column("generation", .integer).notNull()
                table.column("tokenHash", .text).notNull().unique()
                table.column("createdAt", .datetime).notNull()
                table.primaryKey(["accountID", "showID"])
            }
        }
        migrator.registerMigration("v5-show-audio-feed") { db in
            try db.alter(table: "show") { table in table.add(column: "hasAudioFeed", .boolean).notNull().defaults(to: false) }
        }
        migrator.registerMigration("v6-uploads-jobs", migrate: migrateJobs)
        migrator.registerMigration("v7-asset-playable") { db in
            try db.alter(table: "asset") { table in table.add(column: "isPlayable", .boolean).notNull().defaults(to: false) }
        }
        // Adds a table and triggers: nothing for a foreign-key check of every row to find.
        migrator.registerMigration("v8-row-change-log", foreignKeyChecks: .immediate, migrate: RowCache.migrate)
        migrator.registerMigration("v9-client-secret-digests", foreignKeyChecks: .immediate) { db in
            // Client secrets were kept in clear; from now on only their digests are.
            try db.execute(sql: "ALTER TABLE oauthApp RENAME COLUMN clientSecret TO clientSecretHash")
            for row in try Row.fetchAll(db, sql: "SELECT id, clientSecretHash FROM oauthApp") {
                let (id, secret): (String, String) = (row[0], row[1])
                try db.execute(sql: "UPDATE oauthApp SET clientSecretHash = ? WHERE id = ?", arguments: [SecretToken.digest(secret), id])
            }
        }
        return migrator
    }
}

/// Copies the write-ahead log into the database file once a second, from a connection of its
/// own. SQLite's automatic checkpoint runs inside the commit that takes the log past 1,000 pages,
/// and every writer queued behind that commit waits for the copy: under a flood of posts that
/// made posting a third slower. A passive checkpoint waits for no reader or writer; the last
/// connection to close checkpoints whatever is left, as before. The same connection trims the
/// row caches' change log (`RowCache.trim`).
final class WALCheckpointer: Sendable {
    private let connection: DatabaseQueue
    private let queue = DispatchQueue(label: "veritas.wal-checkpoint", qos: .utility)

    init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(1)
        connection = try DatabaseQueue(path: path, configuration: configuration)
        schedule()
    }

    private func schedule() {
        queue.asyncAfter(deadline: .now() + 1) { [weak self] in
            guard let self else { return }
            _ = try? connection.writeWithoutTransaction { db in
                try db.checkpoint(.passive)
                try RowCache.trim(db)
            }
            schedule()
        }
    }
}
