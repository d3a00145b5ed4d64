// Status, account and viewer rows kept in memory between timeline reads, invalidated from a
// change log that triggers write in every process.
import Foundation
import GRDB
import Synchronization

/// Rows a timeline page is shown from, kept between reads: a page of twenty statuses took eight
/// queries, three fifths of a timeline request, and most pages show rows an earlier page read.
///
/// Nothing stale is served. Triggers on `status`, `account` and `favourite` append what changed
/// to the `rowChange` log in the same transaction as the change, whichever process writes it (a
/// server, the CLI). Before using what it keeps, a read reads the log's last sequence number and
/// drops every row changed since the last read. A read that loads rows keeps them only if no
/// change to them was applied after it read that sequence number (else it could keep a row from
/// before a change whose invalidation has already gone by).
///
/// Mentions and tags are kept with their status: they are written with it and never change.
final class RowCache: Sendable {
    /// A status with what is written alongside it.
    struct StatusRows: Sendable {
        let status: Status
        let mentions: [String]
        let tags: [String]
    }

    /// Whether a viewer favourited and retruthed a status.
    struct ViewerFlags: Sendable {
        let favourited: Bool
        let reblogged: Bool
    }

    struct ViewerKey: Hashable, Sendable {
        let viewer: String
        let status: Int64
    }

    /// What one entry of the change log invalidates.
    enum Change: Equatable, Sendable {
        case status(Int64)
        case account(String)
        case viewer(ViewerKey)
    }

    private struct State {
        /// The last log entry applied; nil until the first read.
        var applied: Int64?
        /// Entries applied lately, to tell whether a row read before them may be kept.
        var recent: [(sequence: Int64, change: Change)] = []
        var statuses: Generations<Int64, StatusRows>
        var accounts: Generations<String, Account>
        var viewers: Generations<ViewerKey, ViewerFlags>

        mutating func drop(_ change: Change) {
            switch change {
            case .status(let id): statuses.remove(id)
            case .account(let id): accounts.remove(id)
            case .viewer(let key): viewers.remove(key)
            }
        }

        mutating func clear() {
            statuses.removeAll()
            accounts.removeAll()
            viewers.removeAll()
            recent.removeAll()
        }

        /// Whether a row read after log entry `sequence` is still current.
        func isCurrent(_ change: Change, readAfter sequence: Int64) -> Bool {
            guard let applied, sequence < applied else { return true }
            guard let oldest = recent.first?.sequence, oldest <= sequence + 1 else { return false }
            // Newest first, as far back as `sequence`: under a flood of writes that is a few entries.
            for entry in recent.reversed() {
                if entry.sequence <= sequence { break }
                if entry.change == change { return false }
            }
            return true
        }
    }

    private let state: Mutex<State>
    /// How many applied entries `recent` keeps.
    private let recentLimit = 4096
    /// Behind by more than this, a read drops everything rather than read the log.
    static let maxLag: Int64 = 50_000

    /// At most about `statusBytes` of status text is kept, whatever the statuses are like.
    init(statuses: Int = 20_000, accounts: Int = 20_000, viewers: Int = 50_000, statusBytes: Int = 64 << 20) {
        state = Mutex(State(
            statuses: Generations(capacity: statuses, maxCost: statusBytes), accounts: Generations(capacity: accounts, maxCost: 16 << 20),
            viewers: Generations(capacity: viewers)))
    }

    // MARK: Catching up with the log

    /// Applies the log up to its end; returns the sequence number read, which the rows `db`
    /// reads next are at least as new as.
    func catchUp(_ db: Database) throws -> Int64 {
        let last = try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(seq) FROM rowChange")) ?? 0
        let applied = state.withLock { state -> Int64? in
            if state.applied == nil { state.applied = last }
            return state.applied
        }
        guard let applied, applied < last else { return last }
        if last - applied > Self.maxLag {
            state.withLock { state in
                state.clear()
                state.applied = max(state.applied ?? last, last)
            }
            return last
        }
        var changes: [(Int64, Change)] = []
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT seq, statusID, accountID FROM rowChange WHERE seq > ? AND seq <= ? ORDER BY seq"),
            arguments: [applied, last])
        while let row = try rows.next() {
            let sequence: Int64 = row[0]
            switch (row[1] as Int64?, row[2] as String?) {
            case (let status?, let viewer?): changes.append((sequence, .viewer(ViewerKey(viewer: viewer, status: status))))
            case (let status?, nil): changes.append((sequence, .status(status)))
            case (nil, let account?): changes.append((sequence, .account(account)))
            case (nil, nil): continue
            }
        }
        apply(changes, upTo: last)
        return last
    }

    /// Drops what `changes` (log entries up to `last`) touch. Dropping is idempotent, so two
    /// reads applying the same entries at once do no harm.
    private func apply(_ changes: [(Int64, Change)], upTo last: Int64) {
        state.withLock { state in
            for (_, change) in changes { state.drop(change) }
            guard last > state.applied ?? 0 else { return }
            state.recent += changes.filter { $0.0 > state.applied ?? 0 }.map { (sequence: $0.0, change: $0.1) }
            if state.recent.count > recentLimit { state.recent.removeFirst(state.recent.count - recentLimit) }
            state.applied = last
        }
    }

    // MARK: Rows

    /// The kept statuses among `ids`, and the ids not kept.
    func statuses(_ ids: [Int64]) -> (found: [Int64: StatusRows], missing: [Int64]) {
        state.withLock { state in Self.lookUp(ids, in: &state.statuses) }
    }

    func accounts(_ ids: [String]) -> (found: [String: Account], missing: [String]) {
        state.withLock { state in Self.lookUp(ids, in: &state.accounts) }
    }

    func viewerFlags(_ keys: [ViewerKey]) -> (found: [ViewerKey: ViewerFlags], missing: [ViewerKey]) {
        state.withLock { state in Self.lookUp(keys, in: &state.viewers) }
    }

    /// Keeps rows read after log entry `sequence` (what `catchUp` returned).
    func keep(statuses: [StatusRows], accounts: [Account], viewers: [ViewerKey: ViewerFlags], readAfter sequence: Int64) {
        state.withLock { state in
            for rows in statuses where state.isCurrent(.status(rows.status.id), readAfter: sequence) {
                let size = rows.status.text.utf8.count + rows.status.spoilerText.utf8.count + 256
                state.statuses.insert(rows, for: rows.status.id, cost: size)
            }
            for account in accounts where state.isCurrent(.account(account.id), readAfter: sequence) {
                state.accounts.insert(account, for: account.id, cost: account.note.utf8.count + account.displayName.utf8.count + 256)
            }
            for (key, flags) in viewers where state.isCurrent(.viewer(key), readAfter: sequence) {
                state.viewers.insert(flags, for: key)
            }
        }
    }

    private static func lookUp<Key: Hashable, Value>(_ keys: [Key], in table: inout Generations<Key, Value>) -> (
        found: [Key: Value], missing: [Key]
    ) {
        var found: [Key: Value] = [:]
        found.reserveCapacity(keys.count)
        var missing: [Key] = []
        for key in keys {
            if let value = table.value(for: key) { found[key] = value } else { missing.append(key) }
        }
        return (found, missing)
    }

    // MARK: The log

    /// The change log and the triggers that write it.
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE rowChange (seq INTEGER PRIMARY KEY, statusID INTEGER, accountID TEXT);
                CREATE TRIGGER rowChange_status_updated AFTER UPDATE ON status BEGIN
                    INSERT INTO rowChange (statusID) VALUES (OLD.id);
                END;
                CREATE TRIGGER rowChange_status_deleted AFTER DELETE ON status BEGIN
                    INSERT INTO rowChange (statusID) VALUES (OLD.id);
                    INSERT INTO rowChange (statusID, accountID) SELECT OLD.reblogOfID, OLD.accountID WHERE OLD.reblogOfID IS NOT NULL;
                END;
                CREATE TRIGGER rowChange_reblog_inserted AFTER INSERT ON status WHEN NEW.reblogOfID IS NOT NULL BEGIN
                    INSERT INTO rowChange (statusID, accountID) VALUES (NEW.reblogOfID, NEW.accountID);
                END;
                CREATE TRIGGER rowChange_account_updated AFTER UPDATE ON account BEGIN
                    INSERT INTO rowChange (accountID) VALUES (OLD.id);
                END;
                CREATE TRIGGER rowChange_account_deleted AFTER DELETE ON account BEGIN
                    INSERT INTO rowChange (accountID) VALUES (OLD.id);
                END;
                CREATE TRIGGER rowChange_favourite_inserted AFTER INSERT ON favourite BEGIN
                    INSERT INTO rowChange (statusID, accountID) VALUES (NEW.statusID, NEW.accountID);
                END;
                CREATE TRIGGER rowChange_favourite_deleted AFTER DELETE ON favourite BEGIN
                    INSERT INTO rowChange (statusID, accountID) VALUES (OLD.statusID, OLD.accountID);
                END;
                """)
    }

    /// Drops up to `limit` of the oldest log entries no reader needs (a reader further behind
    /// than `maxLag` drops all it keeps). A little at a time: one delete of a minute's entries
    /// under a flood of posts held the writer's lock long enough to show in posting's p99.
    static func trim(_ db: Database, limit: Int64 = 8192) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT min(seq), max(seq) FROM rowChange"),
            let first = row[0] as Int64?, let last = row[1] as Int64?, last - first > maxLag
        else { return }
        try db.execute(sql: "DELETE FROM rowChange WHERE seq < ?", arguments: [min(first + limit, last - maxLag)])
    }
}
