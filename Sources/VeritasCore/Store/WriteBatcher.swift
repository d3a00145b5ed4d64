// Writes that arrive together, committed together (group commit).
import Dispatch
import GRDB
import Synchronization

/// Commits writes that wait for the writer at the same time in one transaction, each in a
/// savepoint of its own, so one that fails rolls back alone. Under a flood of posts a commit
/// writes each touched page of the log once for the whole batch instead of once per post, and
/// callers wait in the order they came instead of contending for the writer's lock from the
/// server's event loops (which left one loop's connections stalled while the other wrote).
/// Each caller resumes once the transaction holding its write has committed.
final class WriteBatcher: Sendable {
    private struct Pending: Sendable {
        /// Runs the write in its savepoint; returns what resumes the caller once committed.
        let apply: @Sendable (Database) -> @Sendable () -> Void
        /// Resumes the caller when the transaction as a whole failed.
        let fail: @Sendable (any Error) -> Void
    }

    private struct State {
        var pending: [Pending] = []
        var draining = false
    }

    private let pool: DatabasePool
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "veritas.write-batcher")
    /// Writes per transaction at most, so the first of a long queue is not held back for long.
    private let maxBatch = 256

    init(pool: DatabasePool) {
        self.pool = pool
    }

    /// Runs `work` inside the next batch's transaction and returns its result once committed.
    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let pending = Pending(
                apply: { db in
                    let result = Result { () throws -> T in
                        var value: T?
                        try db.inSavepoint {
                            value = try work(db)
                            return .commit
                        }
                        guard let value else { throw VeritasError(.storage, "a batched write returned nothing") }
                        return value
                    }.mapError(SQLiteStore.writeFailure)
                    return { continuation.resume(with: result) }
                },
                fail: { error in continuation.resume(throwing: error) })
            let startsDrain = state.withLock { state in
                state.pending.append(pending)
                defer { state.draining = true }
                return !state.draining
            }
            if startsDrain { queue.async { self.drain() } }
        }
    }

    /// Commits batches until nothing waits.
    private func drain() {
        while true {
            let batch = state.withLock { state -> [Pending] in
                let batch = Array(state.pending.prefix(maxBatch))
                state.pending.removeFirst(batch.count)
                if batch.isEmpty { state.draining = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                let resumes = try pool.write { db in batch.map { $0.apply(db) } }
                for resume in resumes { resume() }
            } catch {
                for pending in batch { pending.fail(SQLiteStore.writeFailure(error)) }
            }
        }
    }
}
