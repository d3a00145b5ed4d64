// Counts response bytes for /metrics.
import Hummingbird
import Metrics

/// Adds each response's Content-Length to `veritas_bytes_served_total`.
struct BytesServedMiddleware: RouterMiddleware {
    typealias Context = VeritasRequestContext
    static let label = "veritas_bytes_served_total"
    let counter = Counter(label: label)

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        if request.method != .head, let length = response.headers[.contentLength].flatMap(Int64.init) {
            counter.increment(by: length)
        }
        return response
    }
}
