// The write-ahead log reaches the database file without any commit copying it (a background
// checkpoint does), so the log does not grow without bound.
import Foundation
import GRDB
import TestSupport
import Testing
@testable import VeritasCore

@Suite struct CheckpointTests {
    @Test func committedPagesReachTheDatabaseFileInTheBackground() async throws {
        let path = try Fixtures.scratchDirectory("checkpoint").appendingPathComponent("veritas.sqlite").path
        let store = try SQLiteStore(path: path)
        func size(_ file: String) -> Int { ((try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int) ?? 0 }
        let before = size(path)
        // Well past the 1,000 pages at which a commit would otherwise checkpoint on its own.
        try store.write { db in try db.execute(sql: "CREATE TABLE scratch (bytes BLOB)") }
        for _ in 0..<8 {
            try store.write { db in try db.execute(sql: "INSERT INTO scratch VALUES (randomblob(1 << 20))") }
        }
        #expect(size(path + "-wal") > 8 << 20, "the commits went to the log")
        let deadline = Date().addingTimeInterval(10)
        while size(path) < before + (8 << 20), Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(size(path) >= before + (8 << 20), "the pages were copied into the database file")
    }
}
