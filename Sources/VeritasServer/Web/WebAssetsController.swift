// The web UI's static files: its stylesheet and player script, and the installed video.js.
import Foundation
import Hummingbird

/// `/assets/veritas.css`, `/assets/player.js` and `/assets/videojs/{video.min.js,video-js.min.css}`,
/// all served from memory; only these names exist.
struct WebAssetsController: Sendable {
    let renderer: WebRenderer
    let videoJS: VideoJSAssets?

    func register(on router: Router<VeritasRequestContext>) {
        router.get("/assets/veritas.css", use: stylesheet)
        router.get("/assets/player.js", use: player)
        router.get("/assets/videojs/:file", use: videoJSFile)
    }

    @Sendable func stylesheet(request: Request, context: VeritasRequestContext) async throws -> Response {
        Self.asset(renderer.stylesheet, type: "text/css; charset=utf-8", cache: "public, max-age=300")
    }

    @Sendable func player(request: Request, context: VeritasRequestContext) async throws -> Response {
        Self.asset(renderer.playerScript, type: "text/javascript; charset=utf-8", cache: "public, max-age=300")
    }

    @Sendable func videoJSFile(request: Request, context: VeritasRequestContext) async throws -> Response {
        guard let file = videoJS?.files[try context.parameters.require("file")] else { throw APIError(.notFound, "not found") }
        return Self.asset(file.body, type: file.type, cache: "public, max-age=86400")
    }

    private static func asset(_ body: ByteBuffer, type: String, cache: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: cache], body: .init(byteBuffer: body))
    }
}
