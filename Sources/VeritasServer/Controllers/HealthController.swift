// GET /health and GET /metrics (Prometheus text).
import Foundation
import Hummingbird
import Metrics
import Prometheus
import VeritasCore

struct HealthController: Sendable {
    let installation: Installation
    let registry: PrometheusCollectorRegistry
    let entitlements: EntitlementCache
    private let activeStreams = Gauge(label: "veritas_active_streams")

    func register(on router: Router<VeritasRequestContext>) {
        router.get("/health", use: health)
        router.get("/metrics", use: metrics)
    }

    @Sendable func health(request: Request, context: VeritasRequestContext) async throws -> Response {
        // A catalog read proves the database answers.
        _ = try installation.store.plans()
        return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                        body: .init(byteBuffer: .init(string: #"{"status":"ok"}"#)))
    }

    /// SPEC §13: an admin's bearer token (with `admin:read`), or an anonymous request from
    /// `VERITAS_METRICS_ALLOW` (loopback by default); anyone else gets `403`.
    @Sendable func metrics(request: Request, context: VeritasRequestContext) async throws -> Response {
        if context.accessToken != nil {
            guard context.account?.isAdmin == true, context.scopes.allows("admin:read") else {
                throw APIError(.forbidden, "metrics are for administrators")
            }
        } else {
            // The peer, not a forwarded address: a proxy in front must not open metrics to all.
            let address = context.peerAddress
            guard installation.config.metricsAllow.contains(where: { $0.contains(address) }) else {
                throw APIError(.forbidden, "metrics are for administrators")
            }
        }
        activeStreams.record(entitlements.activeCount(now: installation.clock.now))
        let counts = try installation.store.jobCounts()
        for state in [JobState.queued, .running, .succeeded, .failed] {
            Gauge(label: "veritas_ingest_jobs", dimensions: [("state", state.rawValue)]).record(counts[state] ?? 0)
        }
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4", .cacheControl: "no-store"],
                        body: .init(byteBuffer: .init(bytes: buffer)))
    }
}
