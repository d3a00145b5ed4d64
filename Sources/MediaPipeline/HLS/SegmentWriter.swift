// Cuts one rendition's packets into encrypted MPEG-TS segments (and I-frame files) on disk.
import Foundation

/// Receives one rendition's encoded packets in decode order and writes its segments.
///
/// Video cuts only at keyframes (which the pipeline forces on a shared grid, so all rungs cut at
/// the same instants); audio cuts at the first packet at or past each boundary.
final class SegmentWriter {
    let directory: URL
    let isVideo: Bool
    private let muxer: TSMuxer
    private let cipher: SegmentCipher
    private let schedule: CutSchedule
    private let frameDuration: Int64
    private var pending: [Packet] = []
    private var pendingStart: Int64 = 0
    private var endPTS: Int64 = 0
    private var lastKeyframe: (packet: Packet, pts: Int64)?
    private(set) var segments: [SegmentRecord] = []
    private(set) var iFrames: [SegmentRecord] = []
    /// The RFC 6381 codec string, known once the first keyframe (or the audio config) is seen.
    private(set) var codecs: String?
    /// Told of each segment once it is on disk, with the codec string (progressive publishing).
    private let onSegment: (@Sendable (SegmentRecord, String?) -> Void)?

    init(
        directory: URL, encoder: Encoder, isVideo: Bool, cipher: SegmentCipher, schedule: CutSchedule, frameDuration: Int64,
        onSegment: (@Sendable (SegmentRecord, String?) -> Void)? = nil
    ) throws {
        self.directory = directory
        self.onSegment = onSegment
        self.isVideo = isVideo
        self.cipher = cipher
        self.schedule = schedule
        self.frameDuration = frameDuration
        muxer = try TSMuxer(encoder: encoder)
        if !isVideo { codecs = CodecString.aac(audioSpecificConfig: encoder.extradata) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Takes a packet whose timestamps are in 1/90000 s.
    func append(_ packet: Packet) throws {
        let pts = packet.pts
        let cuts = isVideo ? packet.isKeyframe : true
        if cuts, !pending.isEmpty, schedule.isSegmentBoundary(pts: pts, segmentIndex: segments.count) {
            try writeSegment(until: pts)
        }
        if pending.isEmpty { pendingStart = pts }
        if isVideo, packet.isKeyframe {
            if codecs == nil { codecs = CodecString.h264(annexB: packet.bytes) }
            try writeIFrame(until: pts)
            lastKeyframe = (try Packet(referencing: packet), pts)
        }
        pending.append(try Packet(referencing: packet))
        let duration = packet.duration > 0 ? packet.duration : frameDuration
        endPTS = max(endPTS, pts + duration)
    }

    /// Writes what is left; call once after the encoder is drained.
    func finish() throws {
        if !pending.isEmpty { try writeSegment(until: endPTS) }
        try writeIFrame(until: endPTS)
    }

    private func writeSegment(until end: Int64) throws {
        let name = String(format: "s%05d.ts", segments.count)
        let bytes = try cipher.encrypt(muxer.mux(pending), iv: SegmentCipher.iv(sequenceNumber: segments.count))
        try Data(bytes).write(to: directory.appendingPathComponent(name), options: .atomic)
        let record = SegmentRecord(uri: name, duration: Double(end - pendingStart) / 90_000, byteCount: bytes.count)
        segments.append(record)
        pending.removeAll(keepingCapacity: true)
        onSegment?(record, codecs)
    }

    private func writeIFrame(until end: Int64) throws {
        guard let (packet, start) = lastKeyframe else { return }
        lastKeyframe = nil
        let name = String(format: "i%05d.ts", iFrames.count)
        let bytes = try cipher.encrypt(muxer.mux([packet]), iv: SegmentCipher.iv(sequenceNumber: iFrames.count))
        try Data(bytes).write(to: directory.appendingPathComponent(name), options: .atomic)
        iFrames.append(SegmentRecord(uri: name, duration: Double(end - start) / 90_000, byteCount: bytes.count))
    }
}
