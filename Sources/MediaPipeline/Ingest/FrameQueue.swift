// A bounded, blocking hand-over of decoded frames from one thread to another, and the worker
// thread that consumes it.
import Dispatch
import Foundation
import Synchronization

/// A decoded picture or block of samples handed from one thread to another.
final class FrameHandoff: @unchecked Sendable {
    // Safe: a handoff is created around a frame that only it references (a fresh
    // `Frame(referencing:)`, or a frame the resampler has just allocated), the sender drops it
    // once pushed, and the buffers it points at are refcounted and never written again (scalers
    // write new buffers once shared; encoders only read theirs).
    let frame: Frame
    /// The frame's time in seconds from the start.
    let time: Double

    init(_ frame: Frame, time: Double) {
        self.frame = frame
        self.time = time
    }
}

/// A first-in first-out queue of frames that blocks the producer when full (back-pressure)
/// and the consumer when empty.
final class FrameQueue: Sendable {
    enum Item: Sendable {
        case frame(FrameHandoff)
        /// No more frames: flush and stop.
        case end
    }

    private let items = Mutex<[Item]>([])
    private let freeSlots: DispatchSemaphore
    private let ready = DispatchSemaphore(value: 0)

    init(capacity: Int) {
        freeSlots = DispatchSemaphore(value: capacity)
    }

    func push(_ item: Item) {
        freeSlots.wait()
        items.withLock { $0.append(item) }
        ready.signal()
    }

    func pop() -> Item {
        ready.wait()
        let item = items.withLock { $0.removeFirst() }
        freeSlots.signal()
        return item
    }
}

/// A thread fed frames through a bounded `FrameQueue`: what each rung of the ladder and the
/// audio encoder run on, so that they and the decoder work at once. It runs `frame` on each
/// frame handed over and `end` once the queue is closed, skipping both after the first error,
/// which it keeps for `wait()`.
final class FrameWorker: Sendable {
    private let queue: FrameQueue
    private let finished = DispatchSemaphore(value: 0)
    private let failure = Mutex<MediaError?>(nil)
    /// Names the thread and prefixes errors that are not `MediaError`s (`rung 720p`, `audio`).
    private let label: String

    init(label: String, capacity: Int) {
        self.label = label
        queue = FrameQueue(capacity: capacity)
    }

    /// Starts the thread; `frame`, `end` and then `after` (which runs even after a failure) run
    /// on it alone.
    func start(
        frame: @escaping @Sendable (FrameHandoff) throws -> Void, end: @escaping @Sendable () throws -> Void,
        after: @escaping @Sendable () -> Void = {}
    ) {
        let thread = Thread { [self] in
            while true {
                switch queue.pop() {
                case .frame(let handoff):
                    attempt { try frame(handoff) }
                case .end:
                    attempt(end)
                    after()
                    finished.signal()
                    return
                }
            }
        }
        thread.name = "veritas-" + label.replacingOccurrences(of: " ", with: "-")
        thread.start()
    }

    /// Queues a frame (blocks while the queue is full).
    func submit(_ handoff: FrameHandoff) {
        queue.push(.frame(handoff))
    }

    /// No more frames come: flush and stop.
    func close() {
        queue.push(.end)
    }

    /// Waits for the thread to stop; throws its first error, if any.
    func wait() throws {
        finished.wait()
        finished.signal()
        if let error = failure.withLock({ $0 }) { throw error }
    }

    /// Records `error` unless an earlier one is kept; the remaining work is skipped.
    func fail(_ error: MediaError) {
        failure.withLock { $0 = $0 ?? error }
    }

    var hasFailed: Bool { failure.withLock { $0 != nil } }

    private func attempt(_ body: () throws -> Void) {
        guard !hasFailed else { return }
        do {
            try body()
        } catch {
            fail((error as? MediaError) ?? MediaError("\(label): \(error)"))
        }
    }
}
