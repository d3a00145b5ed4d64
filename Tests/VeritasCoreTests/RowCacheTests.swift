// The rows timelines keep in memory are never served stale: a change made through another
// connection (as the CLI makes it, from its own process) shows on the next read, a row read
// before a change is not kept after it, and a reader far behind drops what it keeps.
import Foundation
import GRDB
import TestSupport
import Testing
@testable import VeritasCore

@Suite struct RowCacheTests {
    /// The server's store, which keeps rows, and a second store on the same file standing in
    /// for the CLI.
    let server: SQLiteStore
    let other: SQLiteStore

    init() throws {
        let path = try Fixtures.scratchDirectory("rowcache").appendingPathComponent("veritas.sqlite").path
        server = try SQLiteStore(path: path)
        other = try SQLiteStore(path: path)
    }

    func account(_ name: String) throws -> Account {
        let account = Account(
            id: IDGenerator.shared.next(), username: name, email: "\(name)@example.com", displayName: name, passwordHash: "x")
        try server.insert(account)
        return account
    }

    @Test func changesMadeThroughAnotherConnectionShowOnTheNextRead() throws {
        let (author, reader) = (try account("author"), try account("reader"))
        let social = SocialService(store: server), cli = SocialService(store: other)
        let status = try social.post(StatusDraft(text: "hello #news @reader"), by: author)
        let reply = try social.post(StatusDraft(text: "a reply", inReplyToID: status.id), by: reader)
        func read() throws -> StatusBundle { try server.bundle(statusIDs: [status.id, reply.id], viewerID: reader.id) }

        var bundle = try read()
        #expect(bundle.favourited.isEmpty && bundle.reblogged.isEmpty)
        #expect(bundle.statuses[status.id]?.favouritesCount == 0)
        #expect(bundle.mentions[status.id] == [reader.id] && bundle.tags[status.id] == ["news"])
        #expect(bundle.accounts[author.id]?.isSuspended == false)

        _ = try cli.favourite(status.id, by: reader)
        let retruth = try cli.reblog(status.id, by: reader)
        bundle = try read()
        #expect(bundle.favourited == [status.id] && bundle.reblogged == [status.id])
        #expect(bundle.statuses[status.id]?.favouritesCount == 1 && bundle.statuses[status.id]?.reblogsCount == 1)

        _ = try cli.unfavourite(status.id, by: reader)
        try other.deleteStatus(id: retruth.id)
        try other.setSuspended(accountID: author.id, true)
        bundle = try read()
        #expect(bundle.favourited.isEmpty && bundle.reblogged.isEmpty)
        #expect(bundle.statuses[status.id]?.favouritesCount == 0 && bundle.statuses[status.id]?.reblogsCount == 0)
        #expect(bundle.accounts[author.id]?.isSuspended == true)

        // A delete reaches rows it changes by cascade: the reply loses its parent.
        try other.deleteStatus(id: status.id)
        bundle = try read()
        #expect(bundle.statuses[status.id] == nil)
        #expect(bundle.statuses[reply.id]?.inReplyToID == nil)
    }

    @Test func aRowReadBeforeAChangeIsNotKeptAfterIt() throws {
        let (changed, untouched) = (try account("changed"), try account("untouched"))
        let rows = server.rows
        let sequence = try server.read { db in try rows.catchUp(db) }
        // Another connection changes one account, and a read applies the change, before the
        // slow read that loaded both (as they were) gets to keep them.
        try other.setSuspended(accountID: changed.id, true)
        _ = try server.read { db in try rows.catchUp(db) }
        rows.keep(statuses: [], accounts: [changed, untouched], viewers: [:], readAfter: sequence)
        #expect(rows.accounts([changed.id, untouched.id]).missing == [changed.id])
    }

    @Test func aReaderFarBehindDropsWhatItKeepsAndTheLogIsTrimmed() throws {
        let author = try account("kept")
        let rows = server.rows
        let sequence = try server.read { db in try rows.catchUp(db) }
        rows.keep(statuses: [], accounts: [author], viewers: [:], readAfter: sequence)
        #expect(rows.accounts([author.id]).missing.isEmpty)
        // More changes than the log is read for, none of them to this account.
        try other.write { db in
            try db.execute(
                sql: "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) INSERT INTO rowChange (statusID) SELECT i FROM n",
                arguments: [RowCache.maxLag + 20])
        }
        _ = try server.read { db in try rows.catchUp(db) }
        #expect(rows.accounts([author.id]).missing == [author.id])

        // Trimmed a bounded slice at a time, down to what a reader within `maxLag` needs.
        func count() throws -> Int64? { try other.read { db in try Int64.fetchOne(db, sql: "SELECT count(*) FROM rowChange") } }
        let before = try #require(try count())
        try other.write { db in try RowCache.trim(db, limit: 10) }
        #expect(try count() == before - 10)
        try other.write { db in try RowCache.trim(db, limit: .max / 2) }
        #expect(try count() == RowCache.maxLag + 1)
        try other.write { db in try RowCache.trim(db) }
        #expect(try count() == RowCache.maxLag + 1)
    }
}
