// The ladder: never upscaled, aspect kept, even sizes, portrait sources get portrait rungs.
import MediaPipeline
import Testing

@Suite struct LadderPlannerTests {
    let planner = LadderPlanner()

    func sizes(_ rungs: [Rung]) -> [String] { rungs.map { "\($0.width)x\($0.height)" } }

    @Test func fullHDLandscapeGetsEveryStep() {
        let rungs = planner.plan(width: 1920, height: 1080)
        #expect(sizes(rungs) == ["1920x1080", "1280x720", "854x480", "640x360"])
        #expect(rungs.map(\.name) == ["1080p", "720p", "480p", "360p"])
        #expect(rungs.map(\.bitrate) == [5_000_000, 3_000_000, 1_200_000, 700_000])
    }

    @Test func sevenTwentySourceIsNeverUpscaled() {
        #expect(sizes(planner.plan(width: 1280, height: 720)) == ["1280x720", "854x480", "640x360"])
    }

    @Test func portraitSourceGetsAPortraitLadder() {
        #expect(sizes(planner.plan(width: 1080, height: 1920)) == ["1080x1920", "720x1280", "480x854", "360x640"])
    }

    @Test func ultraHDStopsAtTheTopStep() {
        #expect(sizes(planner.plan(width: 3840, height: 2160)).first == "1920x1080")
    }

    @Test func fourByThreeKeepsItsAspect() {
        #expect(sizes(planner.plan(width: 1440, height: 1080)) == ["1440x1080", "960x720", "640x480", "480x360"])
    }

    @Test func oddSizesBecomeEvenAndKeepTheirAspect() {
        for (width, height) in [(1918, 1078), (1279, 719), (853, 481), (1081, 1921)] {
            let rungs = planner.plan(width: width, height: height)
            #expect(!rungs.isEmpty)
            for rung in rungs {
                #expect(rung.width % 2 == 0 && rung.height % 2 == 0, "\(rung) from \(width)x\(height)")
                #expect(rung.width <= width + 1 && rung.height <= height + 1, "upscaled: \(rung)")
                let aspect = Double(rung.width) / Double(rung.height), source = Double(width) / Double(height)
                #expect(abs(aspect - source) / source < 0.01, "aspect of \(rung) from \(width)x\(height)")
            }
        }
    }

    @Test func sourceSmallerThanEveryStepGetsOneRungAtItsOwnSize() {
        let rungs = planner.plan(width: 321, height: 241)
        #expect(sizes(rungs) == ["320x240"])
        #expect(rungs[0].bitrate < 700_000 && rungs[0].bitrate >= 100_000)
    }

    @Test func configuredStepsAreSortedAndDeduplicated() {
        let planner = LadderPlanner(steps: [.init(shortSide: 360, bitrate: 1), .init(shortSide: 720, bitrate: 2), .init(shortSide: 720, bitrate: 3)])
        #expect(sizes(planner.plan(width: 1920, height: 1080)) == ["1280x720", "640x360"])
    }
}
