// Builds and runs the HTTP server: middleware, one controller per resource, graceful shutdown.
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import Metrics
import Prometheus
import VeritasCore

/// The Veritas HTTP server over an installation.
public struct VeritasServer: Sendable {
    public let installation: Installation
    let registry: PrometheusCollectorRegistry
    let publicURL: PublicBaseURL

    public init(installation: Installation, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.installation = installation
        self.registry = registry
        publicURL = PublicBaseURL(config: installation.config)
    }

    /// Sets up logging at `level` and metrics for the process (call once, before `run`).
    public static func bootstrap(logLevel: String) -> PrometheusCollectorRegistry {
        let level = Logger.Level(rawValue: logLevel.lowercased()) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }

    /// The router with every route, and the stream controller `StreamFastLane` shares with it.
    func makeRouter() throws -> (Router<VeritasRequestContext>, StreamController) {
        let keys = try TokenKeys(installation: installation)
        let entitlements = EntitlementCache(ttl: TimeInterval(installation.config.entitlementCacheSeconds))
        let files = FileSender(root: installation.paths.assets)
        let router = Router(context: VeritasRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.addMiddleware {
            RequestIDMiddleware()
            RequestLogMiddleware()
            MetricsMiddleware()
            BytesServedMiddleware()
            CORSMiddleware(
                allowOrigin: .all,
                allowHeaders: [
                    .accept, .authorization, .contentType, .origin, .range, .tusResumable, .uploadLength, .uploadOffset,
                    .uploadMetadata,
                ],
                allowMethods: [.get, .head, .post, .patch, .delete, .options],
                exposedHeaders: [
                    "Content-Length", "Content-Range", "Accept-Ranges", "ETag", "Link", "X-Request-Id", "Location",
                    "Tus-Resumable", "Tus-Version", "Tus-Extension", "Tus-Max-Size", "Upload-Offset", "Upload-Length",
                    "Upload-Metadata", "Upload-Expires", "Veritas-Asset-Id", "Veritas-Episode-Id",
                ])
            ErrorMiddleware()
            ClientAddressMiddleware(trusted: installation.config.trustedProxies)
            BearerAuthMiddleware(store: installation.store)
        }
        let web = try WebRenderer()
        let sessions = try WebSessions(installation: installation, secure: publicURL.string.lowercased().hasPrefix("https://"))
        let oauth = OAuthController(installation: installation, logins: LoginGuard(installation: installation), renderer: web, sessions: sessions)
        let playback = PlaybackController(installation: installation, keys: keys, publicURL: publicURL)
        let privateFeeds = try installation.podcastFeeds()
        HealthController(installation: installation, registry: registry, entitlements: entitlements).register(on: router)
        InstanceController(installation: installation, publicURL: publicURL).register(on: router)
        oauth.register(on: router)
        let renderer = StatusRenderer(publicURL: publicURL)
        AccountsController(installation: installation, publicURL: publicURL, renderer: renderer).register(on: router)
        StatusesController(installation: installation, renderer: renderer).register(on: router)
        TimelinesController(installation: installation, renderer: renderer).register(on: router)
        NotificationsController(installation: installation, publicURL: publicURL, renderer: renderer).register(on: router)
        BillingController(installation: installation).register(on: router)
        CatalogController(installation: installation, files: files, publicURL: publicURL).register(on: router)
        playback.register(on: router)
        PodcastsController(installation: installation, files: files, publicURL: publicURL, privateFeeds: privateFeeds).register(on: router)
        UploadsController(installation: installation, publicURL: publicURL).register(on: router)
        AssetsController(installation: installation).register(on: router)
        try OpenAPIController(publicURL: publicURL).register(on: router)
        let stream = StreamController(
            installation: installation, keys: keys, entitlements: entitlements, files: files,
            playlists: PlaylistCache(root: installation.paths.assets), publicURL: publicURL)
        stream.register(on: router)
        // The web UI: HTML pages whose failures are HTML pages too.
        let videoJS = VideoJSAssets.locate()
        WebAssetsController(renderer: web, videoJS: videoJS).register(on: router)
        let pages = router.group().add(middleware: WebErrorMiddleware(renderer: web, sessions: sessions))
        WebPagesController(
            installation: installation, renderer: web, sessions: sessions, playback: playback, privateFeeds: privateFeeds,
            publicURL: publicURL, hasVideoJS: videoJS != nil
        ).register(on: pages)
        WebSessionController(renderer: web, sessions: sessions, oauth: oauth).register(on: pages)
        WebFeedController(installation: installation, renderer: web, sessions: sessions, publicURL: publicURL).register(on: pages)
        return (router, stream)
    }

    /// Serves until SIGINT or SIGTERM, then finishes in-flight requests, pauses running jobs and
    /// stops.
    public func run(host: String, port: Int, onListening: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let assets = installation.paths.assets.path
        let (router, stream) = try makeRouter()
        let (laneMetrics, dates) = (StreamLaneMetrics(), HTTPDateCache())
        let logger = Logger(label: "veritas")
        var app = Application(
            router: router,
            // Media files leave through sendfile(2) (see `FileSender` and `SendfileHandler`), and
            // playlists and segments skip the router when they can (`StreamFastLane`). Each
            // connection is handled on its own event loop (`EventLoopBoundChannel`); a late request
            // head or an idle connection is closed (`HeadDeadlineChannel`, `idleTimeout`).
            server: HTTPServerBuilder { responder in
                EventLoopBoundChannel(
                    base: HeadDeadlineChannel(
                        base: HTTP1Channel(
                            responder: responder,
                            configuration: .init(
                                additionalChannelHandlers: [
                                    SendfileHandler(root: assets),
                                    StreamFastLane(stream: stream, metrics: laneMetrics, dates: dates, logger: logger),
                                ],
                                // SPEC §13: a keep-alive connection idle for 75 s is closed.
                                idleTimeout: .seconds(75)))))
            },
            configuration: .init(address: .hostname(host, port: port), serverName: "Veritas"),
            onServerRunning: { [publicURL] channel in
                let bound = channel.localAddress?.port ?? port
                publicURL.serverBound(port: bound)
                onListening(bound)
            },
            logger: logger)
        app.addServices(BackgroundWork(installation: installation))
        try await app.runService()
    }
}
