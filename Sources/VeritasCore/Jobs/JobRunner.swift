// The worker pool of `veritas serve`: claims jobs, runs them on threads of their own, keeps leases alive.
import Foundation
import Logging
import MediaPipeline
import Synchronization

/// What happened to a job, for metrics and logs.
public enum JobOutcome: String, Sendable {
    case succeeded, retrying, failed, released
}

/// Runs queued jobs with a fixed number of workers until its task is cancelled.
///
/// Each claim is a lease of `jobLeaseSeconds`, renewed every third of that while the job runs, so
/// the jobs of a server that died are taken over by the next worker to look once the lease runs
/// out. Cancelling the runner (graceful shutdown) stops running ingests between two packets and
/// hands their jobs back to the queue without counting the attempt.
public struct JobRunner: Sendable {
    let installation: Installation
    /// Names this process's claims: host, process id and a random part.
    public let workerID: String
    let pollInterval: Duration
    let onOutcome: @Sendable (Job, JobOutcome) -> Void
    let logger = Logger(label: "veritas.jobs")

    public init(
        installation: Installation, pollInterval: Duration = .milliseconds(250),
        onOutcome: @escaping @Sendable (Job, JobOutcome) -> Void = { _, _ in }
    ) {
        self.installation = installation
        self.pollInterval = pollInterval
        self.onOutcome = onOutcome
        workerID = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UInt32.random(in: 0...UInt32.max))"
    }

    var store: any VeritasStore { installation.store }
    var lease: TimeInterval { TimeInterval(installation.config.jobLeaseSeconds) }

    /// Works until cancelled.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<installation.config.jobConcurrency {
                group.addTask { await work() }
            }
        }
    }

    private func work() async {
        while !Task.isCancelled {
            let now = installation.clock.now
            let claimed: Job?
            do {
                claimed = try store.claimJob(worker: workerID, now: now, leaseUntil: now.addingTimeInterval(lease))
            } catch {
                logger.error("cannot claim a job: \(error)")
                claimed = nil
            }
            if let job = claimed {
                await execute(job)
            } else {
                try? await Task.sleep(for: pollInterval)
            }
        }
    }

    /// Runs one claimed job to an outcome and records it.
    func execute(_ job: Job) async {
        guard job.attempts <= job.maxAttempts else {
            // Claimed again after its worker died on every attempt (a file that crashes the process?).
            let reason = "gave up after \(job.maxAttempts) attempts; the last one never finished"
            record(job, .failed, reason: reason)
            return
        }
        logger.info("job \(job.id) started", metadata: ["asset": "\(job.assetID)", "attempt": "\(job.attempts)"])
        let stop = StopSignal()
        let result: Result<Void, any Error> = await withTaskGroup(of: Result<Void, any Error>?.self) { group in
            group.addTask { await keepLease(of: job, until: stop) }
            group.addTask {
                await withTaskCancellationHandler {
                    do {
                        try await OwnThread.run { try perform(job, stop: stop) }
                        return .success(())
                    } catch {
                        return .failure(error)
                    }
                } onCancel: {
                    stop.raise()
                }
            }
            var outcome: Result<Void, any Error> = .success(())
            for await finished in group {
                if let finished {
                    outcome = finished
                    stop.raise()
                }
            }
            return outcome
        }
        switch result {
        case .success:
            record(job, .succeeded)
        case .failure(let error as MediaError) where error == IngestPipeline.interrupted:
            record(job, .released)
        case .failure(let error as MediaError):
            // The source itself is unusable: another attempt would fail the same way.
            record(job, .failed, reason: error.reason)
        case .failure(let error):
            record(job, job.attempts < job.maxAttempts ? .retrying : .failed, reason: Ingestor.reason(error))
        }
    }

    /// The work itself, on the calling thread.
    private func perform(_ job: Job, stop: StopSignal) throws {
        switch job.kind {
        case .ingest:
            // Progressive: the episode can be published (and watched) once every rendition has a
            // segment, long before the transcode ends.
            let publish: @Sendable () throws -> Void = { [installation] in
                guard job.publish, let episode = try installation.store.episode(id: job.episodeID), !episode.isPublished else { return }
                try installation.catalog.publishEpisode(episode.id)
            }
            try Ingestor(installation: installation).transcode(
                assetID: job.assetID, isCancelled: { stop.isRaised },
                onPlayable: { [logger] in
                    do { try publish() } catch { logger.error("cannot publish episode \(job.episodeID) early: \(error)") }
                })
            try publish()
        }
    }

    /// Renews the lease every third of its length until `stop`; raises `stop` if the lease is lost.
    private func keepLease(of job: Job, until stop: StopSignal) async -> Result<Void, any Error>? {
        let interval = Duration.milliseconds(Int64(lease * 1000 / 3))
        var waited = Duration.zero
        while !stop.isRaised {
            try? await Task.sleep(for: .milliseconds(100))
            waited += .milliseconds(100)
            guard waited >= interval else { continue }
            waited = .zero
            let now = installation.clock.now
            if (try? store.renewLease(jobID: job.id, worker: workerID, until: now.addingTimeInterval(lease))) != true {
                logger.warning("job \(job.id) lost its lease; stopping it")
                stop.raise()
            }
        }
        return nil
    }

    private func record(_ job: Job, _ outcome: JobOutcome, reason: String? = nil) {
        let now = installation.clock.now
        do {
            switch outcome {
            case .succeeded:
                try store.finishJob(id: job.id, worker: workerID, now: now)
            case .released:
                try store.releaseJob(id: job.id, worker: workerID, now: now)
                try store.markQueued(assetID: job.assetID)
            case .retrying:
                let retryAt = now.addingTimeInterval(Job.backoff(afterAttempt: job.attempts))
                try store.failJob(id: job.id, worker: workerID, reason: reason ?? "failed", retryAt: retryAt, now: now)
                try store.markQueued(assetID: job.assetID)
            case .failed:
                try store.failJob(id: job.id, worker: workerID, reason: reason ?? "failed", retryAt: nil, now: now)
                try store.markFailed(assetID: job.assetID, reason: reason ?? "failed")
                // A failed ingest is withdrawn from viewers, whatever it had published.
                if try store.episode(id: job.episodeID)?.isPublished == true {
                    try installation.catalog.unpublishEpisode(job.episodeID)
                }
                try? FileManager.default.removeItem(at: installation.paths.asset(job.assetID))
            }
        } catch {
            logger.error("cannot record job \(job.id) as \(outcome.rawValue): \(error)")
        }
        logger.info("job \(job.id) \(outcome.rawValue)", metadata: reason.map { ["reason": "\($0)"] } ?? [:])
        onOutcome(job, outcome)
    }
}

/// A flag raised once, read from any thread: tells a running ingest to stop.
final class StopSignal: Sendable {
    private let raised = Mutex(false)

    var isRaised: Bool { raised.withLock { $0 } }

    func raise() { raised.withLock { $0 = true } }
}
