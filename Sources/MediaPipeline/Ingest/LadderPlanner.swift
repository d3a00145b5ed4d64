// Plans the adaptive bitrate ladder for a source: never upscaled, aspect kept, even sizes.

/// One configured step of the ladder: the short side it targets and its video bit rate.
public struct LadderStep: Codable, Sendable, Equatable {
    /// The output's short side in pixels (1080 for "1080p", whether landscape or portrait).
    public var shortSide: Int
    /// Target video bit rate in bits per second.
    public var bitrate: Int

    public init(shortSide: Int, bitrate: Int) {
        self.shortSide = shortSide
        self.bitrate = bitrate
    }

    /// SPEC §3's default ladder.
    public static let defaults = [
        LadderStep(shortSide: 1080, bitrate: 5_000_000),
        LadderStep(shortSide: 720, bitrate: 3_000_000),
        LadderStep(shortSide: 480, bitrate: 1_200_000),
        LadderStep(shortSide: 360, bitrate: 700_000),
    ]
}

/// One planned output rendition.
public struct Rung: Sendable, Equatable {
    /// A short name such as `720p`, also the rendition's folder.
    public var name: String
    public var width: Int
    public var height: Int
    public var bitrate: Int
}

/// Chooses the rungs for a picture of a given display size.
public struct LadderPlanner: Sendable {
    public var steps: [LadderStep]

    public init(steps: [LadderStep] = LadderStep.defaults) {
        self.steps = steps.sorted { $0.shortSide > $1.shortSide }
    }

    /// The rungs, largest first, for a picture displayed at `width`×`height` (after rotation and
    /// pixel aspect). Steps above the source's short side are dropped; a source smaller than every
    /// step gets one rung at its own size with a bit rate scaled by area.
    public func plan(width: Int, height: Int) -> [Rung] {
        guard width > 0, height > 0 else { return [] }
        let short = min(width, height)
        let long = max(width, height)
        var rungs: [Rung] = []
        for step in steps where step.shortSide <= short {
            let rung = makeRung(short: step.shortSide, long: long, sourceShort: short, landscape: width >= height, bitrate: step.bitrate)
            if !rungs.contains(where: { $0.width == rung.width && $0.height == rung.height }) { rungs.append(rung) }
        }
        if rungs.isEmpty, let smallest = steps.last {
            let evenShort = max(2, short - short % 2)
            let area = Double(evenShort * evenShort) / Double(smallest.shortSide * smallest.shortSide)
            let bitrate = max(100_000, Int(Double(smallest.bitrate) * area))
            rungs.append(makeRung(short: evenShort, long: long, sourceShort: short, landscape: width >= height, bitrate: bitrate))
        }
        return rungs
    }

    private func makeRung(short: Int, long sourceLong: Int, sourceShort: Int, landscape: Bool, bitrate: Int) -> Rung {
        let evenShort = max(2, short - short % 2)
        let scaledLong = Double(sourceLong) * Double(evenShort) / Double(sourceShort)
        let evenLong = max(2, Int((scaledLong / 2).rounded()) * 2)
        return Rung(
            name: "\(evenShort)p",
            width: landscape ? evenLong : evenShort,
            height: landscape ? evenShort : evenLong,
            bitrate: bitrate)
    }
}
