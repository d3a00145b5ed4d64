// Sends files of the media directory with Range, HEAD, ETag and Last-Modified handled by
// Hummingbird's FileMiddleware, after our own checks have chosen the file.
import Foundation
import Hummingbird
import VeritasCore

/// Streams a file below a root folder (never loading it whole) once a handler has validated
/// the path; content types follow SPEC §6.
struct FileSender: Sendable {
    private let files: FileMiddleware<VeritasRequestContext, LocalFileSystem>
    private let root: URL

    init(root: URL) {
        self.root = root
        files = FileMiddleware<VeritasRequestContext, LocalFileSystem>(root.path)
            .withAdditionalMediaTypes(forFileExtensions: [
                "m3u8": MediaType(type: .application, subType: "vnd.apple.mpegurl"),
                "ts": MediaType(type: .video, subType: "mp2t"),
                "m4a": MediaType(type: .audio, subType: "mp4"),
                "jpg": MediaType(type: .image, subType: "jpeg"),
            ])
    }

    /// The file at `relativePath` (already validated: no `..`, no odd characters), as the answer
    /// to `request`, with `cacheControl`.
    func send(_ relativePath: String, for request: Request, context: VeritasRequestContext, cacheControl: String) async throws -> Response {
        var head = request.head
        head.path = "/" + relativePath
        // Ranges are resolved here (suffix and open ranges made absolute, unsatisfiable ones
        // refused), so the file middleware only ever sees `bytes=first-last` within the file.
        if let header = head.headerFields[.range] {
            let path = root.appendingPathComponent(relativePath).path
            guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int else {
                throw APIError(.notFound, "not found")
            }
            switch ByteRange.resolve(header, size: size) {
            case .none: head.headerFields[.range] = nil
            case .satisfiable(let range): head.headerFields[.range] = "bytes=\(range.lowerBound)-\(range.upperBound)"
            case .unsatisfiable:
                throw APIError(.rangeNotSatisfiable, "range not satisfiable", headers: [.contentRange: "bytes */\(size)"])
            }
        }
        var response = try await files.handle(Request(head: head, body: request.body), context: context) { _, _ in
            throw APIError(.notFound, "not found")
        }
        response.headers[.cacheControl] = cacheControl
        return response
    }
}

/// A `Range` header resolved against a file's size (RFC 9110 §14).
enum ByteRange: Equatable {
    /// No usable single range: serve the whole file.
    case none
    case satisfiable(ClosedRange<Int>)
    case unsatisfiable

    static func resolve(_ header: String, size: Int) -> ByteRange {
        let value = header.trimmingCharacters(in: .whitespaces)
        guard value.lowercased().hasPrefix("bytes="), !value.contains(",") else { return .none }
        let spec = value.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        let bounds = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard bounds.count == 2 else { return .none }
        let first = bounds[0].trimmingCharacters(in: .whitespaces), last = bounds[1].trimmingCharacters(in: .whitespaces)
        func number(_ text: String) -> Int? { text.allSatisfy(\.isASCII) && text.allSatisfy(\.isNumber) ? Int(text) : nil }
        if first.isEmpty {
            // Suffix: the last N bytes.
            guard let count = number(last) else { return .none }
            guard count > 0, size > 0 else { return .unsatisfiable }
            return .satisfiable(max(0, size - count)...(size - 1))
        }
        guard let start = number(first) else { return .none }
        guard start < size else { return .unsatisfiable }
        if last.isEmpty { return .satisfiable(start...(size - 1)) }
        guard let end = number(last), end >= start else { return .none }
        return .satisfiable(start...min(end, size - 1))
    }
}
