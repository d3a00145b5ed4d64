// The request log line, with tokens redacted.
import Hummingbird
import Logging

/// Logs each request's method and target (through `LogRedaction`) at `info`, under the same
/// metadata keys as Hummingbird's `LogRequestsMiddleware`, which would log tokens in the clear.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = VeritasRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        context.logger.info(
            "Request",
            metadata: [
                "hb.request.path": .string(LogRedaction.target(request.uri.description)),
                "hb.request.method": .string(request.method.rawValue),
            ])
        return try await next(request, context)
    }
}
