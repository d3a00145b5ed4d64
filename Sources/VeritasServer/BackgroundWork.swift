// The server's background service: the ingest workers and the sweep of expired uploads.
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import VeritasCore

/// Runs beside the HTTP server and stops with it: graceful shutdown pauses running jobs (they go
/// back to the queue and resume on the next start).
struct BackgroundWork: Service, CustomStringConvertible {
    let installation: Installation
    /// A minute, or half the upload expiry when that is shorter.
    var sweepInterval: Duration { .milliseconds(min(60_000, installation.config.uploadExpirySeconds * 500)) }
    /// What service-lifecycle logs (not the installation, whose environment may hold secrets).
    var description: String { "BackgroundWork" }

    func run() async throws {
        // The metrics factory hands back the same counter for the same label and dimensions.
        let runner = JobRunner(installation: installation) { _, outcome in
            Counter(label: "veritas_ingest_jobs_finished_total", dimensions: [("outcome", outcome.rawValue)]).increment()
        }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await runner.run() }
                group.addTask { await sweepUploads() }
            }
        }
    }

    private func sweepUploads() async {
        let uploads = UploadService(installation: installation)
        let logger = Logger(label: "veritas.uploads")
        while !Task.isCancelled {
            do {
                let removed = try uploads.removeExpired()
                if removed > 0 { logger.info("removed \(removed) expired uploads") }
            } catch {
                logger.error("cannot remove expired uploads: \(error)")
            }
            try? await Task.sleep(for: sweepInterval)
        }
    }
}
