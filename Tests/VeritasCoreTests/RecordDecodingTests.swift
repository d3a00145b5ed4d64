// The records read by column position (statuses, accounts, access tokens) come back exactly as
// they were written: every field has a value of its own, so a column read from the wrong place
// shows up as a difference or a decoding error.
import Foundation
import GRDB
import TestSupport
import Testing
@testable import VeritasCore

@Suite struct RecordDecodingTests {
    let store: SQLiteStore

    init() throws {
        store = try SQLiteStore(path: Fixtures.scratchDirectory("records").appendingPathComponent("veritas.sqlite").path)
    }

    /// Writes records whose references point nowhere (the rows only need to exist).
    func insertUnchecked(_ records: [any PersistableRecord]) throws {
        try store.pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
            for record in records { try record.insert(db) }
        }
    }

    @Test func everyStatusFieldRoundTrips() throws {
        var status = Status(
            id: 41, accountID: "author", text: "text", spoilerText: "warning", sensitive: true, visibility: .unlisted, language: "fr",
            inReplyToID: 7, inReplyToAccountID: "parent-author", reblogOfID: 9, episodeID: "episode",
            createdAt: Date(timeIntervalSince1970: 1_700_000_000))
        (status.repliesCount, status.reblogsCount, status.favouritesCount) = (1, 2, 3)
        try insertUnchecked([status])
        #expect(try store.pool.read { db in try Status.fetchOne(db, key: 41) } == status)
        #expect(try store.pool.read { db in try Status.fetchOne(db, sql: "SELECT * FROM status") } == status)
    }

    @Test func everyAccountFieldRoundTrips() throws {
        var account = Account(
            id: "account", username: "name", email: "name@example.com", displayName: "Display", passwordHash: "hash", role: .admin,
            isSuspended: true, isBot: true, createdAt: Date(timeIntervalSince1970: 1_700_000_000))
        account.note = "note"
        (account.followersCount, account.followingCount, account.statusesCount) = (4, 5, 6)
        account.lastStatusAt = Date(timeIntervalSince1970: 1_700_000_100)
        account.fanOutOnRead = true
        try insertUnchecked([account])
        #expect(try store.account(id: "account") == account)
        #expect(try store.pool.read { db in try Account.fetchOne(db, sql: "SELECT * FROM account") } == account)
    }

    @Test func everyAccessTokenFieldRoundTrips() throws {
        let token = AccessToken(
            id: "token", tokenHash: "digest", appID: "app", accountID: "account", scopes: "read write",
            createdAt: Date(timeIntervalSince1970: 1_700_000_000))
        var revoked = AccessToken(
            id: "revoked", tokenHash: "other digest", appID: "other app", accountID: "other account", scopes: "read",
            createdAt: Date(timeIntervalSince1970: 1_700_000_100))
        revoked.revokedAt = Date(timeIntervalSince1970: 1_700_000_200)
        try insertUnchecked([token, revoked])
        #expect(try store.bearer(digest: "digest")?.token == token)
        #expect(try store.pool.read { db in try AccessToken.fetchOne(db, key: "revoked") } == revoked)
    }
}
