// What a test process leaves behind: servers it started and never stopped (the shared seeded
// server lives as long as the process), and scratch folders.
import Foundation
import Synchronization

enum TestProcessCleanup {
    private static let servers = Mutex<Set<Int32>>([])
    /// Registers the exit handler the first time a server starts.
    private static let handler: Void = { atexit { TestProcessCleanup.stopServers() } }()

    /// Remembers a running server, to be stopped (SIGTERM) when the test process exits.
    static func started(server pid: Int32) {
        _ = handler
        servers.withLock { _ = $0.insert(pid) }
    }

    static func stopped(server pid: Int32) {
        servers.withLock { _ = $0.remove(pid) }
    }

    private static func stopServers() {
        for pid in servers.withLock({ $0 }) { kill(pid, SIGTERM) }
    }

    /// Removes scratch folders (`veritas-LABEL-UUID` in the temporary directory) and fixture
    /// folders of finished test processes (`veritas-fixtures-PID`) older than a day, once per
    /// test process: recent runs' folders stay for post-mortems (server logs are kept beside
    /// their media), older ones would only fill the disk.
    static let sweepOldScratchFolders: Void = {
        let temporary = FileManager.default.temporaryDirectory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
        let cutoff = Date().addingTimeInterval(-86_400)
        func isOurs(_ name: String) -> Bool {
            if name.hasPrefix("veritas-fixtures-"), let pid = Int32(name.dropFirst("veritas-fixtures-".count)) {
                return kill(pid, 0) != 0
            }
            return name.hasPrefix("veritas-") && UUID(uuidString: String(name.suffix(36))) != nil
        }
        for name in names where isOurs(name) {
            let folder = temporary.appendingPathComponent(name)
            let modified = (try? FileManager.default.attributesOfItem(atPath: folder.path))?[.modificationDate] as? Date
            if let modified, modified < cutoff { try? FileManager.default.removeItem(at: folder) }
        }
    }()
}
