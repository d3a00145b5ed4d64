// A bounded, blocking hand-over of decoded frames from one thread to another.
import Dispatch
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
