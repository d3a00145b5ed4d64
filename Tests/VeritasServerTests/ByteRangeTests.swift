// Range headers resolved against a file's size (RFC 9110 §14).
import Testing
@testable import VeritasServer

@Suite struct ByteRangeTests {
    @Test(arguments: [
        ("bytes=0-99", 1000, ByteRange.satisfiable(0...99)), ("bytes=-500", 1000, .satisfiable(500...999)),
        ("bytes=990-", 1000, .satisfiable(990...999)), ("bytes=0-99999999999", 1000, .satisfiable(0...999)),
        ("bytes=1000-", 1000, .unsatisfiable), ("bytes=0-1,5-9", 1000, .none), ("items=0-1", 1000, .none),
        ("bytes=-0", 1000, .unsatisfiable), ("bytes=0-", 0, .unsatisfiable),
    ])
    func rangesResolveWithinTheFile(header: String, size: Int, expected: ByteRange) {
        #expect(ByteRange.resolve(header, size: size) == expected)
    }

    /// Found by the `range` fuzz target: a range whose last position is before its first is
    /// invalid and ignored (the whole file), also when its first position lies past the end.
    @Test func anInvalidRangeIsIgnoredBeforeItsSatisfiabilityIsJudged() {
        #expect(ByteRange.resolve("bytes=20-10", size: 10) == .none)
        #expect(ByteRange.resolve("bytes=9223372036854775806-9223372036854755807", size: 1000) == .none)
        #expect(ByteRange.resolve("bytes=20-30", size: 10) == .unsatisfiable)
    }
}
