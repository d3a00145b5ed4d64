// Numbers read from requests, each kind parsed in one place with its bounds.

/// Parses the numbers a client sends (ids, offsets, lengths, counts) into their domain with
/// bounds: plain ASCII digits only (no sign, spaces or `_`), never overflowing, so a value at
/// the edge of the integer range is refused here rather than trapping in arithmetic later.
enum RequestNumber {
    /// A record id (statuses, notifications): 1–19 digits within `Int64`, above zero.
    static func id(_ text: some StringProtocol) -> Int64? {
        guard let value: Int64 = digits(text, maxCount: 19), value > 0 else { return nil }
        return value
    }

    /// A byte count or offset (`Upload-Length`, `Upload-Offset`, `Content-Length`): at most
    /// `limit`, which bounds every sum the caller forms from two of them.
    static func byteCount(_ text: some StringProtocol, limit: Int64) -> Int64? {
        guard let value: Int64 = digits(text, maxCount: 19), value <= limit else { return nil }
        return value
    }

    /// A count such as a page's `limit`, clamped into `range` (Mastodon clamps rather than
    /// refusing); nil when the text is not a number at all.
    static func count(_ text: some StringProtocol, clampedTo range: ClosedRange<Int>) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        guard let value: Int = digits(text, maxCount: 9) else { return range.upperBound }
        return min(max(value, range.lowerBound), range.upperBound)
    }

    private static func digits<Value: FixedWidthInteger>(_ text: some StringProtocol, maxCount: Int) -> Value? {
        guard (1...maxCount).contains(text.utf8.count), text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Value(text, radix: 10)
    }
}
