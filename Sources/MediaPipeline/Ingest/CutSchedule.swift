// The one timing grid every rendition follows: keyframes every 2 s, segments every 6 s.

/// Decides where keyframes are forced and where segments are cut, the same for every rendition.
///
/// No cut is made in the last `tail` seconds of a source of known duration, so the final segment
/// is never a sliver whose bit rate would distort the playlist's peak BANDWIDTH.
///
/// A progressive ingest cuts its first segment after one keyframe interval: players can start as
/// soon as 2 s of every rung exist rather than 6 s, and every later cut still falls on the grid.
struct CutSchedule: Sendable {
    let keyframeInterval: Double
    let segmentDuration: Double
    /// Where the first segment ends; later ones end every `segmentDuration` after it.
    let firstCut: Double
    /// The last time a keyframe or cut may start at (nil when the duration is unknown).
    let lastCut: Double?

    init(keyframeInterval: Double, segmentDuration: Double, sourceDuration: Double?, shortFirstSegment: Bool = false) {
        self.keyframeInterval = keyframeInterval
        self.segmentDuration = segmentDuration
        firstCut = shortFirstSegment ? keyframeInterval : segmentDuration
        lastCut = sourceDuration.map { $0 - keyframeInterval / 4 }
    }

    /// The keyframe slot a frame at `time` seconds falls in: the first frame of each slot is a keyframe.
    func keyframeSlot(at time: Double) -> Int {
        Int((time / keyframeInterval).rounded(.down))
    }

    /// Whether a keyframe or segment may start at `time` seconds.
    func allowsCut(at time: Double) -> Bool {
        lastCut.map { time < $0 } ?? true
    }

    /// Whether a packet at `pts` (1/90000 s) starts segment `segmentIndex + 1`.
    func isSegmentBoundary(pts: Int64, segmentIndex: Int) -> Bool {
        let time = Double(pts) / 90_000
        return time >= firstCut + Double(segmentIndex) * segmentDuration - 0.001 && allowsCut(at: time)
    }
}
