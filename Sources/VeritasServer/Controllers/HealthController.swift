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

    @Sendable func metrics(request: Request, context: VeritasRequestContext) async throws -> Response {
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
