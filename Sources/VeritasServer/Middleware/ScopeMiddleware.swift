// Every API route declares the OAuth scope it needs; this is the one place that checks it.
import Hummingbird
import VeritasCore

/// Refuses (`403`) a request whose bearer token lacks the route's scope. A request without a
/// token passes: a route that needs a signed-in caller answers `401` itself, and public routes
/// serve anonymous readers. As in Mastodon, an admin scope is only half of an admin route's
/// check: its handler also requires the admin role.
struct ScopeMiddleware: RouterMiddleware {
    typealias Context = VeritasRequestContext
    let required: String

    static let outside = "This action is outside the authorized scopes"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.accessToken != nil else { return try await next(request, context) }
        guard context.scopes.allows(required) else { throw APIError(.forbidden, Self.outside) }
        return try await next(request, context)
    }
}

extension Router where Context == VeritasRequestContext {
    /// The routes added to the group need `scope` (Mastodon's name, e.g. `write:statuses`).
    func scoped(_ scope: String) -> RouterGroup<Context> {
        group().add(middleware: ScopeMiddleware(required: scope))
    }
}
