// Sends files of the media directory with Range, HEAD, ETag and Last-Modified handled by
// Hummingbird's FileMiddleware, after our own checks have chosen the file.
import Foundation
import Hummingbird
import VeritasCore

/// Streams a file below a root folder (never loading it whole) once a handler has validated
/// the path; content types follow SPEC §6.
struct FileSender: Sendable {
    private let files: FileMiddleware<VeritasRequestContext, LocalFileSystem>

    init(root: URL) {
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
        var response = try await files.handle(Request(head: head, body: request.body), context: context) { _, _ in
            throw APIError(.notFound, "not found")
        }
        response.headers[.cacheControl] = cacheControl
        return response
    }
}
