// Structured values taken from the front of a fuzzer's bytes.

/// The bytes of one input, consumed from the front: a few choices and numbers first, then the
/// text the parser reads. Running out yields zeros and empty text, never a failure.
struct FuzzInput {
    private(set) var bytes: ArraySlice<UInt8>

    init(_ bytes: [UInt8]) {
        self.bytes = bytes[...]
    }

    mutating func byte() -> UInt8 { bytes.popFirst() ?? 0 }

    /// The next `T.bitWidth / 8` bytes, little-endian.
    mutating func integer<T: FixedWidthInteger>(_: T.Type = T.self) -> T {
        var value: T = 0
        for shift in stride(from: 0, to: T.bitWidth, by: 8) {
            value |= T(truncatingIfNeeded: byte()) << shift
        }
        return value
    }

    /// Everything left, as the server would see it: invalid UTF-8 repaired, as `String(decoding:)`
    /// (and NIO's header and body strings) do.
    mutating func text() -> String {
        defer { bytes = bytes[bytes.endIndex...] }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Everything left, cut at each newline: several header values from one input.
    mutating func lines() -> [String] {
        text().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}
