// Encodes an ingest's audio to AAC on a thread of its own, so that decoding, loudness and
// resampling go on at the same time on another core.
import CFFmpeg

/// The AAC encoder of an ingest and what its packets go to: the HLS audio segments and, for
/// podcasts, the M4A enclosure.
final class AudioEncoderThread: @unchecked Sendable {
    // Safe: after `start()`, `encoder`, `packet`, `writer` and `enclosure` are used only by the
    // worker thread (in the closures given to `worker`). Other threads hand it frames through
    // `worker` (a locked hand-over and a kept error), and read `writer`'s results only after
    // `finish()` has seen the worker stop, which orders its writes before those reads. `closed`
    // is used only by the one thread that feeds the worker.
    let writer: SegmentWriter
    private let encoder: Encoder
    private let enclosure: EnclosureWriter?
    private let packet: Packet
    private let sampleBase: AVRational
    private let worker = FrameWorker(label: "audio", capacity: 8)
    private var closed = false

    init(encoder: Encoder, sampleRate: Int, writer: SegmentWriter, enclosure: EnclosureWriter?) throws {
        self.encoder = encoder
        self.writer = writer
        self.enclosure = enclosure
        sampleBase = AVRational(num: 1, den: Int32(sampleRate))
        packet = try Packet()
    }

    /// Starts the worker thread: it encodes each block of samples and, at the end, flushes the
    /// encoder and finishes the last segment and the enclosure.
    func start() {
        worker.start(
            frame: { [self] handoff in
                try encoder.send(handoff.frame)
                try drain()
            },
            end: { [self] in
                try encoder.send(nil)
                try drain()
                try writer.finish()
                try enclosure?.finish()
            })
    }

    /// Queues a frame of encoder-sized samples that nothing else references (blocks while the
    /// encoder is 8 frames behind); throws the worker's error once it has failed.
    func submit(_ frame: Frame, time: Double) throws {
        if worker.hasFailed { try finish() }
        worker.submit(FrameHandoff(frame, time: time))
    }

    /// Flushes the encoder, writes the last segment and the enclosure, and waits for the worker;
    /// throws what went wrong on it, if anything.
    func finish() throws {
        if !closed {
            closed = true
            worker.close()
        }
        try worker.wait()
    }

    /// Stops the worker without caring for its output.
    func abort() {
        guard !closed else { return }
        worker.fail(IngestPipeline.interrupted)
        try? finish()
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
