// Resolves `Authorization: Bearer` to an access token and its account.
import Hummingbird
import VeritasCore

/// Sets `context.account` and `context.accessToken` from a valid bearer token; a token that is
/// present but unknown, revoked or of a suspended account is refused with 401.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = VeritasRequestContext
    let store: any VeritasStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError(.unauthorized, "The access token is invalid")
        }
        guard let (token, account) = try store.bearer(digest: SecretToken.digest(String(parts[1]))) else {
            throw APIError(.unauthorized, "The access token is invalid")
        }
        var context = context
        context.accessToken = token
        if token.accountID != nil {
            guard let account, !account.isSuspended else { throw APIError(.unauthorized, "The access token is invalid") }
            context.account = account
        }
        return try await next(request, context)
    }
}
