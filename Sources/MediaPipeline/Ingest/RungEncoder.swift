// Encodes one rung on a thread of its own: scale, x264, segmenter; passes its pictures down the
// ladder so each smaller rung scales from the next larger one.

/// One rung's scale → encode → segment chain, running on its own thread so that every rung and
/// the decoder work at once.
final class RungEncoder: @unchecked Sendable {
    // Safe: after `start()`, `scaler`, `encoder`, `packet`, `poster` and `writer` are used only by
    // the worker thread (in the closures given to `worker`). Other threads talk to it through
    // `worker` (a locked hand-over and a kept error), and read `writer`'s results only after
    // `wait()` has seen the worker finish, which orders its writes before those reads.
    let rung: Rung
    let writer: SegmentWriter
    private let scaler: Scaler
    private let encoder: Encoder
    private let packet: Packet
    private let poster: PosterCapture?
    private let next: RungEncoder?
    private let worker: FrameWorker

    init(rung: Rung, encoder: Encoder, writer: SegmentWriter, poster: PosterCapture?, next: RungEncoder?) throws {
        self.rung = rung
        self.encoder = encoder
        self.writer = writer
        self.poster = poster
        self.next = next
        scaler = try Scaler(width: rung.width, height: rung.height)
        packet = try Packet()
        worker = FrameWorker(label: "rung \(rung.name)", capacity: 3)
    }

    /// Starts the worker thread. Each picture is scaled, encoded, offered as the poster and
    /// passed to the next smaller rung; at the end the encoder is flushed, and the smaller rungs
    /// are closed in any case.
    func start() {
        worker.start(
            frame: { [self] handoff in
                let scaled = try scaler.scale(handoff.frame)
                try encoder.send(scaled)
                try drain()
                try poster?.offer(scaled, at: handoff.time)
                try next?.submit(scaled, time: handoff.time)
            },
            end: { [self] in
                try encoder.send(nil)
                try drain()
                try writer.finish()
            },
            after: { [self] in next?.close() })
    }

    /// Queues a picture (blocks while the rung is 3 pictures behind).
    func submit(_ frame: Frame, time: Double) throws {
        worker.submit(FrameHandoff(try Frame(referencing: frame), time: time))
    }

    /// Tells the rung (and, through it, the smaller ones) that no more pictures come.
    func close() {
        worker.close()
    }

    /// Waits for the worker to flush and stop; throws what went wrong on it, if anything.
    func wait() throws {
        try worker.wait()
    }

    /// Makes the rung drop its remaining pictures and skip the final flush.
    func cancel() {
        worker.fail(IngestPipeline.interrupted)
    }

    /// Whether this rung has failed (readable while running).
    var hasFailed: Bool { worker.hasFailed }

    /// The poster JPEG, once `wait()` has returned.
    var posterJPEG: [UInt8]? { poster?.jpeg }

    private func drain() throws {
        while try encoder.receive(into: packet) { try writer.append(packet) }
    }
}
