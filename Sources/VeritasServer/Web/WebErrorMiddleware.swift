// Browser routes answer failures with an HTML page (and redirects) instead of API JSON.
import Hummingbird
import VeritasCore

/// Turns what a web handler throws into a response a person can read: `WebRedirect` into a
/// `303`, an expired form into `403`, anything else into the error page with the status the
/// API would give it (404, 422, 429 …).
struct WebErrorMiddleware: RouterMiddleware {
    typealias Context = VeritasRequestContext
    let renderer: WebRenderer
    let sessions: WebSessions

    struct ErrorPage: Sendable {
        let heading: String
        let message: String
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let redirect as WebRedirect {
            var response = redirect.response
            if let session = try? sessions.session(for: request) { session.writeCookies(into: &response) }
            return response
        } catch {
            let (status, heading, message): (HTTPResponse.Status, String, String)
            if error is WebFormExpired {
                (status, heading, message) = (.forbidden, "This form has expired", "Go back, reload the page and try again.")
            } else {
                let apiError = APIError.from(error)
                if apiError.status == .internalServerError { context.logger.error("page failed: \(LogRedaction.message(String(describing: error)))") }
                status = apiError.status
                heading = switch apiError.status {
                case .notFound: "Not found"
                case .forbidden: "Not allowed"
                case .tooManyRequests: "Too many attempts"
                case .internalServerError: "Something went wrong"
                default: "That did not work"
                }
                message = apiError.status == .notFound ? "There is nothing at this address." : Self.sentence(apiError.message)
            }
            let session = try sessions.session(for: request)
            var response = try renderer.page(
                "error", title: heading, session: session, page: ErrorPage(heading: heading, message: message), status: status)
            if let retry = (error as? APIError)?.headers[.retryAfter] { response.headers[.retryAfter] = retry }
            return response
        }
    }

    /// The API's lower-case message as a sentence.
    static func sentence(_ message: String) -> String {
        guard let first = message.first else { return "" }
        let text = first.uppercased() + message.dropFirst()
        return text.hasSuffix(".") ? text : text + "."
    }
}
