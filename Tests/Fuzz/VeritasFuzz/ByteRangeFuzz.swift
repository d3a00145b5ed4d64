// Range and If-Modified-Since (SPEC §6): headers a player sends for every segment.
#if DEBUG
import Foundation
@testable import VeritasServer

/// A file size (picked from the input's first bytes at several scales, the edges of `Int`
/// included), then a `Range` value. A satisfiable range must lie within the file and be
/// non-empty, an empty file has none, and a plain `bytes=A-B` must resolve as RFC 9110 says.
/// The same text is read as an HTTP date, and a date made from the input's seconds must read
/// back to them.
enum ByteRangeFuzz {
    static let target = FuzzTarget(
        name: "range", summary: "ByteRange.resolve within the file, as RFC 9110; HTTPDate round trip", run: run)

    static func run(_ input: FuzzInput) {
        var input = input
        let raw = input.integer(UInt64.self)
        let size: Int
        switch input.byte() % 5 {
        case 0: size = 0
        case 1: size = Int(raw % 256)
        case 2: size = Int(raw % (1 << 32))
        case 3: size = Int.max - Int(raw % 256)
        default: size = Int(raw & UInt64(Int.max))
        }
        let seconds = Int(input.integer(UInt64.self) % 253_402_300_800)  // up to 9999-12-31
        let header = input.text()
        let resolved = ByteRange.resolve(header, size: size)
        switch resolved {
        case .satisfiable(let range):
            require(range.lowerBound >= 0 && range.upperBound < size, "\(header) on \(size) bytes: \(range)")
        case .unsatisfiable, .none:
            break
        }
        if let (first, last) = plainRange(header) {
            let expected: ByteRange
            if let last, last < first {
                expected = .none
            } else if first >= size {
                expected = .unsatisfiable
            } else {
                expected = .satisfiable(first...min(last ?? Int.max, size - 1))
            }
            require(resolved == expected, "\(header) on \(size) bytes: \(resolved), not \(expected)")
        }
        _ = HTTPDate.parse(header)
        let date = HTTPDate.format(seconds)
        require(HTTPDate.parse(date) == seconds, "\(seconds) formatted as \(date) reads back as \(String(describing: HTTPDate.parse(date)))")
    }

    /// `bytes=A-B` or `bytes=A-` in ASCII digits that fit in `Int`, nothing else.
    static func plainRange(_ header: String) -> (Int, Int?)? {
        guard header.hasPrefix("bytes=") else { return nil }
        let bounds = header.dropFirst(6).split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count == 2, let first = digits(bounds[0]) else { return nil }
        if bounds[1].isEmpty { return (first, nil) }
        guard let last = digits(bounds[1]) else { return nil }
        return (first, last)
    }

    static func digits(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        return Int(text)
    }
}
#endif
