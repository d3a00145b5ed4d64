// SQLite implementation of SocialStore (the design of home timelines is on the protocol).
import Foundation
import GRDB

extension Status: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "status"

    /// Read by position, in the table's column order (`SELECT *` and the query interface give
    /// that order; a test round-trips every field): timelines decode many statuses, and looking
    /// columns up by name was a twentieth of a timeline request.
    public init(row: Row) throws {
        id = row[0]
        accountID = row[1]
        text = row[2]
        spoilerText = row[3]
        sensitive = row[4]
        guard let visibility = StatusVisibility(rawValue: row[5]) else {
            throw VeritasError(.storage, "status \(id) has an unknown visibility")
        }
        self.visibility = visibility
        language = row[6]
        inReplyToID = row[7]
        inReplyToAccountID = row[8]
        reblogOfID = row[9]
        episodeID = row[10]
        repliesCount = row[11]
        reblogsCount = row[12]
        favouritesCount = row[13]
        createdAt = row[14]
    }
}

extension Follow: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "follow"
}

extension SocialNotification: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "notification"
}

extension PageRequest {
    /// ` AND column < ? AND column > ? ORDER BY column DESC LIMIT ?` for this page, ascending
    /// from `minID` when that is the bound.
    fileprivate func clause(_ column: String) -> (sql: String, arguments: StatementArguments) {
        var sql = ""
        var arguments: StatementArguments = []
        if let maxID {
            sql += " AND \(column) < ?"
            arguments += [maxID]
        }
        if let lowerBound {
            sql += " AND \(column) > ?"
            arguments += [lowerBound]
        }
        sql += " ORDER BY \(column) \(readsUpwards ? "ASC" : "DESC") LIMIT ?"
        arguments += [limit]
        return (sql, arguments)
    }
}

extension StatementArguments {
    /// `values` as positional arguments. GRDB's own initialiser for a sequence maps it through a
    /// key path, which generic code instantiates at run time on every call.
    fileprivate init(values: [some DatabaseValueConvertible]) {
        self.init(values.map { $0.databaseValue as (any DatabaseValueConvertible)? })
    }
}

/// `?, ?, ?` for `count` values.
private func placeholders(_ count: Int) -> String {
    Array(repeating: "?", count: count).joined(separator: ", ")
}

extension FetchableRecord where Self: TableRecord {
    /// The rows with these primary keys, through the statement cache (timeline pages ask for
    /// the same shapes of query over and over).
    fileprivate static func fetchAll(_ db: Database, ids: [some DatabaseValueConvertible]) throws -> [Self] {
        guard !ids.isEmpty else { return [] }
        let statement = try db.cachedStatement(sql: "SELECT * FROM \(databaseTableName) WHERE id IN (\(placeholders(ids.count)))")
        return try fetchAll(statement, arguments: StatementArguments(values: ids))
    }
}

extension SQLiteStore {
    /// Every statement of a post goes through the statement cache: posting is the one write
    /// that comes in floods, and preparing each statement afresh (parsing and authorising it)
    /// was a third of the work done inside the single writer.
    public func insert(
        _ status: Status, mentions: [String], tags: [String], notifications: [SocialNotification], idempotencyKey: String?,
        fanOutLimit: Int
    ) throws -> Status {
        try write { db in
            try insert(status, mentions: mentions, tags: tags, notifications: notifications, idempotencyKey: idempotencyKey, fanOutLimit: fanOutLimit, db)
        }
    }

    /// The same, committed with the other posts waiting for the writer (`WriteBatcher`).
    public func insert(
        _ status: Status, mentions: [String], tags: [String], notifications: [SocialNotification], idempotencyKey: String?,
        fanOutLimit: Int
    ) async throws -> (status: Status, author: Account?) {
        try await batcher.write { db in
            let stored = try self.insert(
                status, mentions: mentions, tags: tags, notifications: notifications, idempotencyKey: idempotencyKey, fanOutLimit: fanOutLimit, db)
            let author = try Account.fetchOne(db.cachedStatement(sql: "SELECT * FROM account WHERE id = ?"), arguments: [stored.accountID])
            return (stored, author)
        }
    }

    private func insert(
        _ status: Status, mentions: [String], tags: [String], notifications: [SocialNotification], idempotencyKey: String?,
        fanOutLimit: Int, _ db: Database
    ) throws -> Status {
        // Returned as it will read back: the column keeps milliseconds. Formatted once for
        // every statement below.
        var status = status
        let createdAt = status.createdAt.databaseValue
        status.createdAt = Date.fromDatabaseValue(createdAt) ?? status.createdAt
        func run(_ sql: String, _ arguments: StatementArguments) throws {
            try db.cachedStatement(sql: sql).execute(arguments: arguments)
        }
        if let idempotencyKey {
            let earlier = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT statusID FROM idempotencyKey WHERE accountID = ? AND key = ? AND createdAt > ?"),
                arguments: [status.accountID, idempotencyKey, status.createdAt.addingTimeInterval(-3600)])
            if let earlier, let existing = try Status.fetchOne(db, key: earlier) { return existing }
        }
        // Through the statement cache: GRDB's record insert builds its statement from the
        // record's encoding on every call.
        try run(
            """
            INSERT INTO status (id, accountID, text, spoilerText, sensitive, visibility, language, inReplyToID, inReplyToAccountID,
                reblogOfID, episodeID, repliesCount, reblogsCount, favouritesCount, createdAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                status.id, status.accountID, status.text, status.spoilerText, status.sensitive, status.visibility.rawValue, status.language,
                status.inReplyToID, status.inReplyToAccountID, status.reblogOfID, status.episodeID, status.repliesCount, status.reblogsCount,
                status.favouritesCount, createdAt,
            ])
        for accountID in mentions {
            try run("INSERT OR IGNORE INTO mention (statusID, accountID) VALUES (?, ?)", [status.id, accountID])
        }
        for tag in tags {
            try run("INSERT OR IGNORE INTO statusTag (tag, statusID) VALUES (?, ?)", [tag, status.id])
        }
        for notification in notifications { try notification.insert(db) }
        if let idempotencyKey {
            try run(
                "INSERT OR REPLACE INTO idempotencyKey (accountID, key, statusID, createdAt) VALUES (?, ?, ?, ?)",
                [status.accountID, idempotencyKey, status.id, createdAt])
        }
        try run("UPDATE account SET statusesCount = statusesCount + 1, lastStatusAt = ? WHERE id = ?", [createdAt, status.accountID])
        if let parent = status.inReplyToID {
            try run("UPDATE status SET repliesCount = repliesCount + 1 WHERE id = ?", [parent])
        }
        if let original = status.reblogOfID {
            try run("UPDATE status SET reblogsCount = reblogsCount + 1 WHERE id = ?", [original])
        }
        try fanOut(status, limit: fanOutLimit, db)
        return status
    }

    /// Copies a new status into its author's home feed and, unless the author is too widely
    /// followed, into every follower's.
    private func fanOut(_ status: Status, limit: Int, _ db: Database) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO homeFeed (accountID, statusID, authorID) VALUES (?, ?, ?)")
            .execute(arguments: [status.accountID, status.id, status.accountID])
        guard
            let author = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT fanOutOnRead, followersCount FROM account WHERE id = ?"), arguments: [status.accountID])
        else { return }
        let (fanOutOnRead, followers): (Bool, Int) = (author[0], author[1])
        if !fanOutOnRead, followers > limit {
            try db.cachedStatement(sql: "UPDATE account SET fanOutOnRead = 1 WHERE id = ?").execute(arguments: [status.accountID])
            return
        }
        guard !fanOutOnRead else { return }
        try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO homeFeed (accountID, statusID, authorID)
                SELECT followerID, ?, ? FROM follow WHERE followedID = ?
                """
        ).execute(arguments: [status.id, status.accountID, status.accountID])
    }

    public func deleteStatus(id: Int64) throws {
        try write { db in
            let reblogs = try Status.filter(Column("reblogOfID") == id).fetchAll(db)
            for status in reblogs + [try Status.fetchOne(db, key: id)].compactMap({ $0 }) {
                try db.execute(sql: "UPDATE account SET statusesCount = max(0, statusesCount - 1) WHERE id = ?", arguments: [status.accountID])
                if let parent = status.inReplyToID {
                    try db.execute(sql: "UPDATE status SET repliesCount = max(0, repliesCount - 1) WHERE id = ?", arguments: [parent])
                }
                if let original = status.reblogOfID, original != id {
                    try db.execute(sql: "UPDATE status SET reblogsCount = max(0, reblogsCount - 1) WHERE id = ?", arguments: [original])
                }
                // Timeline rows, mentions, tags, favourites and notifications go by cascade.
                try db.execute(sql: "DELETE FROM status WHERE id = ?", arguments: [status.id])
            }
        }
    }

    public func status(id: Int64) throws -> Status? {
        try read { db in try Status.fetchOne(db, key: id) }
    }

    public func reblog(of statusID: Int64, by accountID: String) throws -> Status? {
        try read { db in try Status.filter(Column("reblogOfID") == statusID && Column("accountID") == accountID).fetchOne(db) }
    }

    public func announcement(episodeID: String) throws -> Status? {
        try read { db in try Status.filter(Column("episodeID") == episodeID && Column("reblogOfID") == nil).fetchOne(db) }
    }

    public func isMentioned(accountID: String, in statusID: Int64) throws -> Bool {
        try read { db in
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM mention WHERE statusID = ? AND accountID = ?)", arguments: [statusID, accountID])
                ?? false
        }
    }

    public func insertFavourite(accountID: String, statusID: Int64, notification: SocialNotification?) throws -> Bool {
        try write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO favourite (accountID, statusID, createdAt) VALUES (?, ?, ?)",
                arguments: [accountID, statusID, Date()])
            guard db.changesCount > 0 else { return false }
            try db.execute(sql: "UPDATE status SET favouritesCount = favouritesCount + 1 WHERE id = ?", arguments: [statusID])
            try notification?.insert(db)
            return true
        }
    }

    public func deleteFavourite(accountID: String, statusID: Int64) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM favourite WHERE accountID = ? AND statusID = ?", arguments: [accountID, statusID])
            guard db.changesCount > 0 else { return }
            try db.execute(sql: "UPDATE status SET favouritesCount = max(0, favouritesCount - 1) WHERE id = ?", arguments: [statusID])
            try db.execute(
                sql: "DELETE FROM notification WHERE fromAccountID = ? AND statusID = ? AND type = 'favourite'",
                arguments: [accountID, statusID])
        }
    }

    public func insert(_ follow: Follow, notification: SocialNotification?, backfill: Int) throws -> Bool {
        try write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO follow (id, followerID, followedID, createdAt) VALUES (?, ?, ?, ?)",
                arguments: [follow.id, follow.followerID, follow.followedID, follow.createdAt])
            guard db.changesCount > 0 else { return false }
            try db.execute(sql: "UPDATE account SET followingCount = followingCount + 1 WHERE id = ?", arguments: [follow.followerID])
            try db.execute(sql: "UPDATE account SET followersCount = followersCount + 1 WHERE id = ?", arguments: [follow.followedID])
            try notification?.insert(db)
            let pulled = try Bool.fetchOne(db, sql: "SELECT fanOutOnRead FROM account WHERE id = ?", arguments: [follow.followedID]) ?? false
            if !pulled {
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO homeFeed (accountID, statusID, authorID)
                        SELECT ?, id, accountID FROM status WHERE accountID = ? ORDER BY id DESC LIMIT ?
                        """,
                    arguments: [follow.followerID, follow.followedID, backfill])
            }
            return true
        }
    }

    public func deleteFollow(followerID: String, followedID: String) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM follow WHERE followerID = ? AND followedID = ?", arguments: [followerID, followedID])
            guard db.changesCount > 0 else { return }
            try db.execute(sql: "UPDATE account SET followingCount = max(0, followingCount - 1) WHERE id = ?", arguments: [followerID])
            try db.execute(sql: "UPDATE account SET followersCount = max(0, followersCount - 1) WHERE id = ?", arguments: [followedID])
            try db.execute(sql: "DELETE FROM homeFeed WHERE accountID = ? AND authorID = ?", arguments: [followerID, followedID])
        }
    }

    public func relationships(of accountID: String, with others: [String]) throws -> (following: Set<String>, followedBy: Set<String>) {
        guard !others.isEmpty else { return ([], []) }
        return try read { db in
            let list = placeholders(others.count)
            let following = try String.fetchAll(
                db, sql: "SELECT followedID FROM follow WHERE followerID = ? AND followedID IN (\(list))",
                arguments: [accountID] + StatementArguments(values: others))
            let followedBy = try String.fetchAll(
                db, sql: "SELECT followerID FROM follow WHERE followedID = ? AND followerID IN (\(list))",
                arguments: [accountID] + StatementArguments(values: others))
            return (Set(following), Set(followedBy))
        }
    }

    public func follows(ofFollowed followedID: String, page: PageRequest) throws -> [Follow] {
        try follows(where: "followedID", is: followedID, page: page)
    }

    public func follows(byFollower followerID: String, page: PageRequest) throws -> [Follow] {
        try follows(where: "followerID", is: followerID, page: page)
    }

    private func follows(where column: String, is value: String, page: PageRequest) throws -> [Follow] {
        let (range, arguments) = page.clause("id")
        let rows = try read { db in
            try Follow.fetchAll(db, sql: "SELECT * FROM follow WHERE \(column) = ?\(range)", arguments: [value] + arguments)
        }
        return rows.sorted { $0.id > $1.id }
    }

    public func timelinePage(_ timeline: Timeline, page: PageRequest, viewerID: String?) throws -> (ids: [Int64], bundle: StatusBundle) {
        try read { db in
            let ids = try self.ids(of: timeline, page: page, db)
            return (ids, try bundle(statusIDs: ids, viewerID: viewerID, db))
        }
    }

    private func ids(of timeline: Timeline, page: PageRequest, _ db: Database) throws -> [Int64] {
        switch timeline {
        case .home(let accountID):
            let (range, arguments) = page.clause("statusID")
            var ids = try Int64.fetchAll(
                db.cachedStatement(sql: "SELECT statusID FROM homeFeed WHERE accountID = ?\(range)"), arguments: [accountID] + arguments)
            let pulled = try String.fetchAll(
                db.cachedStatement(
                    sql: "SELECT f.followedID FROM follow f JOIN account a ON a.id = f.followedID WHERE f.followerID = ? AND a.fanOutOnRead"),
                arguments: [accountID])
            let (statusRange, statusArguments) = page.clause("id")
            for author in pulled {
                ids += try Int64.fetchAll(
                    db.cachedStatement(sql: "SELECT id FROM status WHERE accountID = ?\(statusRange)"), arguments: [author] + statusArguments)
            }
            return page.select(ids)
        case .public:
            let (range, arguments) = page.clause("id")
            return page.select(
                try Int64.fetchAll(
                    db.cachedStatement(sql: "SELECT id FROM status WHERE visibility = 'public' AND reblogOfID IS NULL\(range)"),
                    arguments: arguments))
        case .tag(let tag):
            let (range, arguments) = page.clause("t.statusID")
            return page.select(
                try Int64.fetchAll(
                    db,
                    sql: """
                        SELECT t.statusID FROM statusTag t JOIN status s ON s.id = t.statusID
                        WHERE t.tag = ? AND s.visibility = 'public'\(range)
                        """,
                    arguments: [tag] + arguments))
        case .account(let accountID, let filter):
            var sql = "SELECT id FROM status WHERE accountID = ?"
            var arguments: StatementArguments = [accountID]
            if !filter.includePrivate { sql += " AND visibility IN ('public', 'unlisted')" }
            if filter.excludeReplies { sql += " AND (inReplyToID IS NULL OR inReplyToAccountID = accountID)" }
            if filter.excludeReblogs { sql += " AND reblogOfID IS NULL" }
            if filter.onlyMedia { sql += " AND episodeID IS NOT NULL" }
            if let tag = filter.tag {
                sql += " AND id IN (SELECT statusID FROM statusTag WHERE tag = ?)"
                arguments += [tag]
            }
            let (range, rangeArguments) = page.clause("id")
            return page.select(try Int64.fetchAll(db, sql: sql + range, arguments: arguments + rangeArguments))
        }
    }

    public func favourites(of statusID: Int64, page: PageRequest) throws -> [(id: Int64, accountID: String)] {
        // A favourite's rowid orders favourites as they were given.
        try actors(sql: "SELECT rowid, accountID FROM favourite WHERE statusID = ?", column: "rowid", statusID, page)
    }

    public func reblogs(of statusID: Int64, page: PageRequest) throws -> [(id: Int64, accountID: String)] {
        try actors(sql: "SELECT id, accountID FROM status WHERE reblogOfID = ?", column: "id", statusID, page)
    }

    private func actors(sql: String, column: String, _ statusID: Int64, _ page: PageRequest) throws -> [(id: Int64, accountID: String)] {
        let (range, arguments) = page.clause(column)
        let rows = try read { db in try Row.fetchAll(db, sql: sql + range, arguments: [statusID] + arguments) }
        return rows.map { (id: $0[0] as Int64, accountID: $0[1] as String) }.sorted { $0.id > $1.id }
    }

    public func replyTree(below statusID: Int64, limit: Int) throws -> [Int64] {
        // The LIMIT inside the recursion stops the walk itself (breadth first, so the nearest
        // replies are the ones kept), however big the thread.
        try read { db in
            try Int64.fetchAll(
                db,
                sql: """
                    WITH RECURSIVE tree(id) AS (
                        SELECT id FROM status WHERE inReplyToID = ?
                        UNION SELECT s.id FROM status s JOIN tree ON s.inReplyToID = tree.id
                        LIMIT ?
                    )
                    SELECT id FROM tree ORDER BY id
                    """,
                arguments: [statusID, limit])
        }
    }

    /// Statuses, accounts and the viewer's flags come from `rows` where it has them (see
    /// `RowCache`); only what it lacks is read, and kept for the next page.
    public func bundle(statusIDs: [Int64], viewerID: String?) throws -> StatusBundle {
        try read { db in try bundle(statusIDs: statusIDs, viewerID: viewerID, db) }
    }

    private func bundle(statusIDs: [Int64], viewerID: String?, _ db: Database) throws -> StatusBundle {
        guard !statusIDs.isEmpty else { return StatusBundle() }
        let sequence = try rows.catchUp(db)
        var bundle = StatusBundle()
        var read = (statuses: [RowCache.StatusRows](), accounts: [Account](), viewers: [RowCache.ViewerKey: RowCache.ViewerFlags]())
        func addStatuses(_ ids: [Int64]) throws {
            let (found, missing) = rows.statuses(ids)
            let loaded = try statusRows(missing, db)
            read.statuses += loaded
            for rows in Array(found.values) + loaded {
                bundle.statuses[rows.status.id] = rows.status
                if !rows.mentions.isEmpty { bundle.mentions[rows.status.id] = rows.mentions }
                if !rows.tags.isEmpty { bundle.tags[rows.status.id] = rows.tags }
            }
        }
        try addStatuses(statusIDs)
        let originals = Set(bundle.statuses.values.compactMap { $0.reblogOfID }).subtracting(bundle.statuses.keys)
        if !originals.isEmpty { try addStatuses(Array(originals)) }

        let accountIDs = Set(bundle.statuses.values.map { $0.accountID }).union(bundle.mentions.values.joined())
        let (accounts, missingAccounts) = rows.accounts(Array(accountIDs))
        bundle.accounts = accounts
        read.accounts = try Account.fetchAll(db, ids: missingAccounts)
        for account in read.accounts { bundle.accounts[account.id] = account }

        if let viewerID {
            let (flags, missing) = rows.viewerFlags(bundle.statuses.keys.map { RowCache.ViewerKey(viewer: viewerID, status: $0) })
            read.viewers = try viewerFlags(viewerID, missing.map { $0.status }, db)
            for (key, value) in flags.merging(read.viewers, uniquingKeysWith: { kept, _ in kept }) {
                if value.favourited { bundle.favourited.insert(key.status) }
                if value.reblogged { bundle.reblogged.insert(key.status) }
            }
        }
        rows.keep(statuses: read.statuses, accounts: read.accounts, viewers: read.viewers, readAfter: sequence)

        let episodeIDs = Set(bundle.statuses.values.compactMap { $0.episodeID })
        guard !episodeIDs.isEmpty else { return bundle }
        let episodes = try Episode.fetchAll(db, keys: Array(episodeIDs))
        bundle.episodes = Dictionary(episodes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        bundle.shows = Dictionary(
            try Show.fetchAll(db, keys: Array(Set(episodes.map { $0.showID }))).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        bundle.assets = Dictionary(
            try Asset.fetchAll(db, keys: Array(Set(episodes.map { $0.assetID }))).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return bundle
    }

    /// Statuses by id with their mentions and tags (closures rather than key paths throughout:
    /// a key path in generic code is instantiated at run time on each call).
    private func statusRows(_ ids: [Int64], _ db: Database) throws -> [RowCache.StatusRows] {
        guard !ids.isEmpty else { return [] }
        let statuses = try Status.fetchAll(db, ids: ids)
        let list = placeholders(ids.count)
        var mentions: [Int64: [String]] = [:], tags: [Int64: [String]] = [:]
        let mentionRows = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT statusID, accountID FROM mention WHERE statusID IN (\(list))"), arguments: StatementArguments(values: ids))
        while let row = try mentionRows.next() {
            mentions[row[0], default: []].append(row[1])
        }
        let tagRows = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT statusID, tag FROM statusTag WHERE statusID IN (\(list))"), arguments: StatementArguments(values: ids))
        while let row = try tagRows.next() {
            tags[row[0], default: []].append(row[1])
        }
        return statuses.map { RowCache.StatusRows(status: $0, mentions: mentions[$0.id] ?? [], tags: tags[$0.id] ?? []) }
    }

    /// Whether `viewer` favourited and retruthed each of `ids`.
    private func viewerFlags(_ viewer: String, _ ids: [Int64], _ db: Database) throws -> [RowCache.ViewerKey: RowCache.ViewerFlags] {
        guard !ids.isEmpty else { return [:] }
        let list = placeholders(ids.count)
        let arguments: StatementArguments = [viewer] + StatementArguments(values: ids)
        let favourited = Set(
            try Int64.fetchAll(db.cachedStatement(sql: "SELECT statusID FROM favourite WHERE accountID = ? AND statusID IN (\(list))"), arguments: arguments))
        let reblogged = Set(
            try Int64.fetchAll(db.cachedStatement(sql: "SELECT reblogOfID FROM status WHERE accountID = ? AND reblogOfID IN (\(list))"), arguments: arguments))
        return Dictionary(
            uniqueKeysWithValues: ids.map {
                (RowCache.ViewerKey(viewer: viewer, status: $0), RowCache.ViewerFlags(favourited: favourited.contains($0), reblogged: reblogged.contains($0)))
            })
    }

    public func accounts(ids: [String]) throws -> [Account] {
        try read { db in try Account.fetchAll(db, keys: ids) }
    }

    public func notifications(accountID: String, types: Set<NotificationKind>, page: PageRequest) throws -> [SocialNotification] {
        guard !types.isEmpty else { return [] }
        let (range, arguments) = page.clause("id")
        let kinds = types.map(\.rawValue)
        let rows = try read { db in
            try SocialNotification.fetchAll(
                db, sql: "SELECT * FROM notification WHERE accountID = ? AND type IN (\(placeholders(kinds.count)))\(range)",
                arguments: [accountID] + StatementArguments(values: kinds) + arguments)
        }
        return rows.sorted { $0.id > $1.id }
    }

    public func deleteNotifications(accountID: String, id: Int64?) throws {
        try write { db in
            if let id {
                try db.execute(sql: "DELETE FROM notification WHERE accountID = ? AND id = ?", arguments: [accountID, id])
            } else {
                try db.execute(sql: "DELETE FROM notification WHERE accountID = ?", arguments: [accountID])
            }
        }
    }

    public func instanceCounts() throws -> (accounts: Int, statuses: Int) {
        try read { db in (try Account.fetchCount(db), try Status.filter(Column("reblogOfID") == nil).fetchCount(db)) }
    }

    public func setShowAccount(showID: String, accountID: String) throws {
        try write { db in try db.execute(sql: "UPDATE show SET accountID = ? WHERE id = ?", arguments: [accountID, showID]) }
    }

    /// The social tables (registered after the accounts migration).
    static func migrateSocial(_ db: Database) throws {
        try db.alter(table: "account") { table in
            table.add(column: "note", .text).notNull().defaults(to: "")
            table.add(column: "isBot", .boolean).notNull().defaults(to: false)
            table.add(column: "followersCount", .integer).notNull().defaults(to: 0)
            table.add(column: "followingCount", .integer).notNull().defaults(to: 0)
            table.add(column: "statusesCount", .integer).notNull().defaults(to: 0)
            table.add(column: "lastStatusAt", .datetime)
            table.add(column: "fanOutOnRead", .boolean).notNull().defaults(to: false)
        }
        try db.alter(table: "show") { table in
            table.add(column: "accountID", .text).references("account", onDelete: .setNull)
        }
        try db.create(table: "status") { table in
            table.column("id", .integer).primaryKey()
            table.column("accountID", .text).notNull().references("account", onDelete: .cascade)
            table.column("text", .text).notNull()
            table.column("spoilerText", .text).notNull().defaults(to: "")
            table.column("sensitive", .boolean).notNull().defaults(to: false)
            table.column("visibility", .text).notNull()
            table.column("language", .text)
            table.column("inReplyToID", .integer).indexed().references("status", onDelete: .setNull)
            table.column("inReplyToAccountID", .text)
            table.column("reblogOfID", .integer).indexed().references("status", onDelete: .cascade)
            table.column("episodeID", .text).indexed().references("episode", onDelete: .cascade)
            table.column("repliesCount", .integer).notNull().defaults(to: 0)
            table.column("reblogsCount", .integer).notNull().defaults(to: 0)
            table.column("favouritesCount", .integer).notNull().defaults(to: 0)
            table.column("createdAt", .datetime).notNull()
        }
        try db.create(index: "status_on_account", on: "status", columns: ["accountID", "id"])
        try db.create(index: "status_one_reblog_each", on: "status", columns: ["accountID", "reblogOfID"], options: .unique, condition: Column("reblogOfID") != nil)
        try db.execute(sql: "CREATE INDEX status_public ON status(id) WHERE visibility = 'public' AND reblogOfID IS NULL")
        try db.create(table: "homeFeed", options: .withoutRowID) { table in
            table.column("accountID", .text).notNull().references("account", onDelete: .cascade)
            table.column("statusID", .integer).notNull().indexed().references("status", onDelete: .cascade)
            table.column("authorID", .text).notNull()
            table.primaryKey(["accountID", "statusID"])
        }
        try db.create(table: "follow") { table in
            table.column("id", .integer).primaryKey()
            table.column("followerID", .text).notNull().references("account", onDelete: .cascade)
            table.column("followedID", .text).notNull().references("account", onDelete: .cascade)
            table.column("createdAt", .datetime).notNull()
            table.uniqueKey(["followerID", "followedID"])
        }
        try db.create(index: "follow_on_followed", on: "follow", columns: ["followedID", "id"])
        try db.create(index: "follow_on_follower", on: "follow", columns: ["followerID", "id"])
        try db.create(table: "favourite") { table in
            table.column("accountID", .text).notNull().references("account", onDelete: .cascade)
            table.column("statusID", .integer).notNull().indexed().references("status", onDelete: .cascade)
            table.column("createdAt", .datetime).notNull()
            table.primaryKey(["accountID", "statusID"])
        }
        try db.create(table: "mention", options: .withoutRowID) { table in
            table.column("statusID", .integer).notNull().references("status", onDelete: .cascade)
            table.column("accountID", .text).notNull().indexed().references("account", onDelete: .cascade)
            table.primaryKey(["statusID", "accountID"])
        }
        try db.create(table: "statusTag", options: .withoutRowID) { table in
            table.column("tag", .text).notNull()
            table.column("statusID", .integer).notNull().indexed().references("status", onDelete: .cascade)
            table.primaryKey(["tag", "statusID"])
        }
        try db.create(table: "notification") { table in
            table.column("id", .integer).primaryKey()
            table.column("accountID", .text).notNull().references("account", onDelete: .cascade)
            table.column("fromAccountID", .text).notNull().references("account", onDelete: .cascade)
            table.column("type", .text).notNull()
            table.column("statusID", .integer).indexed().references("status", onDelete: .cascade)
            table.column("createdAt", .datetime).notNull()
        }
        try db.create(index: "notification_on_account", on: "notification", columns: ["accountID", "id"])
        try db.create(table: "idempotencyKey", options: .withoutRowID) { table in
            table.column("accountID", .text).notNull().references("account", onDelete: .cascade)
            table.column("key", .text).notNull()
            table.column("statusID", .integer).notNull().indexed().references("status", onDelete: .cascade)
            table.column("createdAt", .datetime).notNull()
            table.primaryKey(["accountID", "key"])
        }
    }
}
