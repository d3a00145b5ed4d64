// Encodes one rung on a thread of its own: scale, x264, segmenter; passes its pictures down the
// ladder so each smaller rung scales from the next larger one.
import Dispatch
import Foundation
import Synchronization

/// One rung's scale → encode → segment chain, running on its own thread so that every rung and
/// the decoder work at once.
final class RungEncoder: @unchecked Sendable {
    // Safe: after `start()`, `scaler`, `encoder`, `packet`, `poster` and `writer` are used only by
    // the worker thread. Other threads talk to it through `queue` (a locked hand-over), read
    // `failure` under its mutex, and read `writer`'s results only after `wait()` has seen the
    // worker signal `finished`, which orders its writes before those reads.
    let rung: Rung
    let writer: SegmentWriter
    private let scaler: Scaler
    private let encoder: Encoder
    private let packet: Packet
    private let poster: PosterCapture?
    private let next: RungEncoder?
    private let queue = FrameQueue(capacity: 3)
    private let finished = DispatchSemaphore(value: 0)
    private let failure = Mutex<MediaError?>(nil)

    init(rung: Rung, encoder: Encoder, writer: SegmentWriter, poster: PosterCapture?, next: RungEncoder?) throws {
        self.rung = rung
        self.encoder = encoder
        self.writer = writer
        self.poster = poster
        self.next = next
        scaler = try Scaler(width: rung.width, height: rung.height)
        packet = try Packet()
    }

    /// Starts the worker thread.
    func start() {
        let thread = Thread { [self] in self.work() }
        thread.name = "veritas-rung-\(rung.name)"
        thread.start()
    }

    /// Queues a picture (blocks while the rung is 3 pictures behind).
    func submit(_ frame: Frame, time: Double) throws {
        queue.push(.frame(FrameHandoff(try Frame(referencing: frame), time: time)))
    }

    /// Tells the rung (and, through it, the smaller ones) that no more pictures come.
    func close() {
        queue.push(.end)
    }

    /// Waits for the worker to flush and stop; throws what went wrong on it, if anything.
    func wait() throws {
        finished.wait()
        finished.signal()
        if let error = failure.withLock({ $0 }) { throw error }
    }

    /// Makes the rung drop its remaining pictures and skip the final flush.
    func cancel() {
        failure.withLock { $0 = $0 ?? IngestPipeline.interrupted }
    }

    /// The first error of this rung, if one happened (readable while running).
    var hasFailed: Bool { failure.withLock { $0 != nil } }

    /// The poster JPEG, once `wait()` has returned.
    var posterJPEG: [UInt8]? { poster?.jpeg }

    private func work() {
        while true {
            switch queue.pop() {
            case .end:
                if !hasFailed {
                    attempt {
                        try encoder.send(nil)
                        try drain()
                        try writer.finish()
                    }
                }
                next?.close()
                finished.signal()
                return
            case .frame(let handoff):
                guard !hasFailed else { continue }
                attempt {
                    let scaled = try scaler.scale(handoff.frame)
                    try encoder.send(scaled)
                    try drain()
                    try poster?.offer(scaled, at: handoff.time)
                    try next?.submit(scaled, time: handoff.time)
                }
            }
        }
    }

    private func attempt(_ body: () throws -> Void) {
        do {
            try body()
        } catch {
            let reason = (error as? MediaError) ?? MediaError("rung \(rung.name): \(error)")
            failure.withLock { $0 = $0 ?? reason }
        }
    }

    private func drain() throws {
        while try encoder.receive(into: packet) { try writer.append(packet) }
    }
}
