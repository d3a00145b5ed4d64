// GET /api/openapi.json: the OpenAPI 3.1 document of this API, with this server's public URL.
import Foundation
import Hummingbird
import VeritasCore

/// Serves the bundled `OpenAPI/openapi.json`, whose URLs name `http://veritas.invalid` until
/// they are replaced by the server's public URL (which is known only once the port is bound).
struct OpenAPIController: Sendable {
    /// The base the document on disk uses for this server's URLs.
    static let placeholder = "http://veritas.invalid"
    let document: String
    let publicURL: PublicBaseURL

    /// Reads the document once; a missing resource stops the server at startup.
    init(publicURL: PublicBaseURL) throws {
        guard let file = Bundle.module.resourceURL?.appendingPathComponent("OpenAPI/openapi.json") else {
            throw VeritasError(.storage, "the server's resources are missing")
        }
        document = try String(contentsOf: file, encoding: .utf8)
        self.publicURL = publicURL
    }

    func register(on router: Router<VeritasRequestContext>) {
        router.get("/api/openapi.json", use: show)
    }

    @Sendable func show(request: Request, context: VeritasRequestContext) async throws -> Response {
        let body = document.replacingOccurrences(of: Self.placeholder, with: publicURL.string)
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-cache"],
            body: .init(byteBuffer: .init(string: body)))
    }
}
