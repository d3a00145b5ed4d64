// tus headers (SPEC §9, §13): Upload-Metadata, and the byte counts of Upload-Offset/-Length.
#if DEBUG
import Foundation
@testable import VeritasCore
@testable import VeritasServer

/// The input's lines are an `Upload-Metadata` value, then `Upload-Offset`, `Upload-Length`,
/// `Content-Length` and `Content-Type` values. Metadata that parses must come back the same
/// from its own re-encoding, and its numbers and flag parse without trapping. A byte count that
/// parses must be plain digits naming a value within `UploadsController.largestNumber`, so that
/// no sum the controller forms of two of them overflows.
enum TusHeadersFuzz {
    static let target = FuzzTarget(
        name: "tus", summary: "UploadMetadata and tus byte counts: round trip, bounds, no overflow", run: run)

    static func run(_ input: FuzzInput) {
        var input = input
        var lines = input.lines()[...]
        metadata(lines.popFirst() ?? "")
        let counts = lines.prefix(3).map(byteCount)
        for first in counts.compactMap({ $0 }) {
            for second in counts.compactMap({ $0 }) {
                require(!first.addingReportingOverflow(second).overflow, "\(first) + \(second) overflows")
                require(!first.subtractingReportingOverflow(second).overflow, "\(first) - \(second) overflows")
            }
        }
        if let type = lines.dropFirst(3).first { _ = UploadsController.isOffsetStream(type) }
    }

    static func metadata(_ header: String) {
        guard let metadata = try? UploadMetadata(header: header) else { return }
        let encoded = metadata.values.sorted { $0.key < $1.key }
            .map { $0.value.isEmpty ? $0.key : "\($0.key) \(Data($0.value.utf8).base64EncodedString())" }
            .joined(separator: ",")
        let again = try? UploadMetadata(header: encoded)
        require(again == metadata, "\(header.debugDescription) → \(metadata.values) → \(encoded.debugDescription) → \(String(describing: again?.values))")
        for key in ["season", "episode"] { _ = try? metadata.integer(key) }
        _ = try? metadata.flag("publish")
    }

    static func byteCount(_ text: String) -> Int64? {
        guard let value = RequestNumber.byteCount(text, limit: UploadsController.largestNumber) else { return nil }
        require((0...UploadsController.largestNumber).contains(value), "\(text) parsed as \(value)")
        require(!text.isEmpty && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }, "\(text.debugDescription) parsed")
        require(Int64(text) == value, "\(text) parsed as \(value)")
        return value
    }
}
#endif
