// Encodes an ingest's audio to AAC on a thread of its own, so that decoding, loudness and
// resampling go on at the same time on another core.
import CFFmpeg
import Dispatch
import Foundation
import Synchronization

/// The AAC encoder of an ingest and what its packets go to: the HLS audio segments and, for
/// podcasts, the M4A enclosure.
final class AudioEncoderThread: @unchecked Sendable {
    // Safe: after `start()`, `encoder`, `packet`, `writer` and `enclosure` are used only by the
    // worker thread. Other threads hand it frames through `queue` (a locked hand-over), read
    // `failure` under its mutex, and read `writer`'s results only after `wait()` has seen the
    // worker signal `finished`, which orders its writes before those reads. `closed` is used
    // only by the one thread that feeds the worker.
    let writer: SegmentWriter
    private let encoder: Encoder
    private let enclosure: EnclosureWriter?
    private let packet: Packet
    private let sampleBase: AVRational
    private let queue = FrameQueue(capacity: 8)
    private let finished = DispatchSemaphore(value: 0)
    private let failure = Mutex<MediaError?>(nil)
    private var closed = false

    init(encoder: Encoder, sampleRate: Int, writer: SegmentWriter, enclosure: EnclosureWriter?) throws {
        self.encoder = encoder
        self.writer = writer
        self.enclosure = enclosure
        sampleBase = AVRational(num: 1, den: Int32(sampleRate))
        packet = try Packet()
    }

    /// Starts the worker thread.
    func start() {
        let thread = Thread { [self] in self.work() }
        thread.name = "veritas-audio"
        thread.start()
    }

    /// Queues a frame of encoder-sized samples that nothing else references (blocks while the
    /// encoder is 8 frames behind); throws the worker's error once it has failed.
    func submit(_ frame: Frame, time: Double) throws {
        if failure.withLock({ $0 != nil }) { try finish() }
        queue.push(.frame(FrameHandoff(frame, time: time)))
    }

    /// Flushes the encoder, writes the last segment and the enclosure, and waits for the worker;
    /// throws what went wrong on it, if anything.
    func finish() throws {
        if !closed {
            closed = true
            queue.push(.end)
        }
        finished.wait()
        finished.signal()
        if let error = failure.withLock({ $0 }) { throw error }
    }

    /// Stops the worker without caring for its output.
    func abort() {
        guard !closed else { return }
        failure.withLock { $0 = $0 ?? IngestPipeline.interrupted }
        try? finish()
    }

    private func work() {
        while true {
            switch queue.pop() {
            case .end:
                attempt {
                    try encoder.send(nil)
                    try drain()
                    try writer.finish()
                    try enclosure?.finish()
                }
                finished.signal()
                return
            case .frame(let handoff):
                attempt {
                    try encoder.send(handoff.frame)
                    try drain()
                }
            }
        }
    }

    /// Runs `body` unless the worker has already failed; keeps the first error.
    private func attempt(_ body: () throws -> Void) {
        guard failure.withLock({ $0 == nil }) else { return }
        do {
            try body()
        } catch {
            let reason = (error as? MediaError) ?? MediaError("audio: \(error)")
            failure.withLock { $0 = $0 ?? reason }
        }
    }

    private func drain() throws {
        while try encoder.receive(into: packet) {
            try enclosure?.append(packet)
            let segmentPacket = try Packet(referencing: packet)
            av_packet_rescale_ts(segmentPacket.pointer, sampleBase, AVRational(num: 1, den: 90_000))
            try writer.append(segmentPacket)
        }
    }
}
