// Answers for media files once our own checks have chosen the file: Range, HEAD, ETag,
// If-None-Match, If-Modified-Since and Last-Modified from one stat(2); the bytes themselves are
// left to `SendfileHandler`, which writes them with sendfile(2) below Hummingbird.
import Foundation
import HTTPTypes
import Hummingbird
import VeritasCore

/// Answers for a file below a root folder (never loading it) once a handler has validated the
/// path; content types follow SPEC §6. A GET answer has an empty body and a `sendfileField`
/// header naming the bytes to send, which `SendfileHandler` replaces with the file's bytes.
struct FileSender: Sendable {
    /// The private response header that hands a file's bytes to `SendfileHandler`, which removes it.
    static let sendfileField = HTTPField.Name("x-veritas-sendfile")!

    /// The root folder's path, ending in `/` (joined as text: building a URL per request was a
    /// tenth of the work of serving a segment).
    private let root: String
    private static let mediaTypes: [String: MediaType] = [
        "m3u8": MediaType(type: .application, subType: "vnd.apple.mpegurl"),
        "ts": MediaType(type: .video, subType: "mp2t"),
        "m4a": MediaType(type: .audio, subType: "mp4"),
        "jpg": MediaType(type: .image, subType: "jpeg"),
    ]

    init(root: URL) {
        self.root = folderPath(root.path)
    }

    /// The file at `relativePath` (already validated: no `..`, no odd characters), as the answer
    /// to `request`, with `cacheControl`.
    func send(_ relativePath: String, for request: Request, context: VeritasRequestContext, cacheControl: String) async throws -> Response {
        let (status, headers) = try answer(relativePath, method: request.method, headers: request.headers, cacheControl: cacheControl)
        return Response(status: status, headers: headers, body: ResponseBody())
    }

    /// The status and headers answering a `method` request with `headers` for the file at
    /// `relativePath` (validated as for `send`); `404` and `416` are thrown.
    func answer(
        _ relativePath: String, method: HTTPRequest.Method, headers requestHeaders: HTTPFields, cacheControl: String
    ) throws -> (HTTPResponse.Status, HTTPFields) {
        guard let file = FileVersion(path: root + relativePath) else {
            throw APIError(.notFound, "not found")
        }
        var range: ClosedRange<Int>?
        // Our own range parsing (Hummingbird's crashed on some inputs); an unsatisfiable range
        // is refused before any validator is looked at, as it always was.
        if let header = requestHeaders[.range] {
            switch ByteRange.resolve(header, size: file.size) {
            case .none: break
            case .satisfiable(let resolved): range = resolved
            case .unsatisfiable:
                throw APIError(.rangeNotSatisfiable, "range not satisfiable", headers: [.contentRange: "bytes */\(file.size)"])
            }
        }
        var headers = HTTPFields()
        headers[.contentLength] = String(file.size)
        headers[.lastModified] = HTTPDate.format(file.modified)
        headers[.eTag] = file.eTag
        headers[.acceptRanges] = "bytes"
        if let type = Self.mediaType(of: relativePath) { headers[.contentType] = type.description }
        headers[.cacheControl] = cacheControl

        if isNotModified(requestHeaders, eTag: file.eTag, modified: file.modified) {
            return (.notModified, headers)
        }
        // A range applies unless If-Range names another version of the file.
        if let ifRange = requestHeaders[.ifRange], ifRange != headers[.eTag], ifRange != headers[.lastModified] {
            range = nil
        }
        if let range {
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(file.size)"
            headers[.contentLength] = String(range.count)
        }
        // HEAD answers 200 with the GET's headers (as Hummingbird's FileMiddleware did); an empty
        // file has no bytes to send.
        if method == .get, file.size > 0 {
            let bytes = range ?? 0...(file.size - 1)
            headers[Self.sendfileField] = SendfileRequest(relativePath: relativePath, bytes: bytes, version: file).headerValue
        }
        return (range != nil && method == .get ? .partialContent : .ok, headers)
    }

    /// Whether a conditional GET names the version we have: If-None-Match first, else
    /// If-Modified-Since (to the second).
    private func isNotModified(_ headers: HTTPFields, eTag: String, modified: Int) -> Bool {
        let ifNoneMatch = headers[values: .ifNoneMatch]
        if !ifNoneMatch.isEmpty { return ifNoneMatch.contains(eTag) }
        guard let since = headers[.ifModifiedSince].flatMap(HTTPDate.parse) else { return false }
        return modified <= since
    }

    private static func mediaType(of path: String) -> MediaType? {
        guard let dot = path.lastIndex(of: ".") else { return nil }
        let ext = String(path[path.index(after: dot)...])
        return mediaTypes[ext] ?? MediaType.getMediaType(forExtension: ext)
    }
}

/// `path` ending in `/`, ready to have relative paths appended.
func folderPath(_ path: String) -> String {
    path.hasSuffix("/") ? path : path + "/"
}

/// One version of a regular file, as stat(2) saw it: what validators and `SendfileHandler` check.
struct FileVersion: Equatable {
    let size: Int
    /// Modification time, whole seconds since 1970.
    let modified: Int

    init(size: Int, modified: Int) {
        self.size = size
        self.modified = modified
    }

    /// The file at `path`, or nil if there is no regular file there.
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }

    /// The file open as `descriptor`, or nil if it is not a regular file.
    init?(descriptor: CInt) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        self.init(info)
    }

    private init?(_ info: stat) {
        guard info.st_mode & S_IFMT == S_IFREG else { return nil }
        size = Int(info.st_size)
        modified = Int(info.st_mtim.tv_sec)
    }

    /// A weak ETag from modification time and size, byte for byte the one Hummingbird's
    /// FileMiddleware made, so validators clients already hold stay valid.
    var eTag: String {
        var digest = [UInt8](repeating: 0, count: 16)
        for (index, byte) in "\(Double(modified))-\(size)".utf8.enumerated() {
            digest[index % 16] ^= byte
        }
        return "W/\"" + digest.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() + "\""
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
        var end = Int.max
        if !last.isEmpty {
            // A last position before the first makes the range invalid, and an invalid Range is
            // ignored (RFC 9110 §14.1.1) whether or not its first position lies past the end.
            guard let parsed = number(last), parsed >= start else { return .none }
            end = parsed
        }
        guard start < size else { return .unsatisfiable }
        return .satisfiable(start...min(end, size - 1))
    }
}

/// HTTP dates (RFC 9110 §5.6.7, IMF-fixdate) to and from seconds since 1970.
enum HTTPDate {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func format(_ seconds: Int) -> String {
        var time = time_t(seconds), parts = tm()
        gmtime_r(&time, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }

    /// The seconds an IMF-fixdate names, or nil for anything else.
    static func parse(_ text: String) -> Int? {
        let characters = Array(text.utf8)
        guard characters.count == 29, text.hasSuffix(" GMT"), let month = months.firstIndex(of: field(characters, 8, 3)),
            let day = Int32(field(characters, 5, 2)), let year = Int32(field(characters, 12, 4)),
            let hour = Int32(field(characters, 17, 2)), let minute = Int32(field(characters, 20, 2)),
            let second = Int32(field(characters, 23, 2))
        else { return nil }
        var parts = tm()
        (parts.tm_year, parts.tm_mon, parts.tm_mday) = (year - 1900, Int32(month), day)
        (parts.tm_hour, parts.tm_min, parts.tm_sec) = (hour, minute, second)
        return Int(timegm(&parts))
    }

    private static func field(_ characters: [UInt8], _ start: Int, _ count: Int) -> String {
        String(decoding: characters[start..<(start + count)], as: UTF8.self)
    }
}
