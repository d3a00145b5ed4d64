// Mastodon-compatible OAuth 2: app registration, authorize page, token, revoke.
import Foundation
import HTTPTypes
import Hummingbird
import VeritasCore

struct OAuthController: Sendable {
    let installation: Installation
    let logins: LoginGuard
    /// The web UI's templates and sessions, so the authorize page looks like the rest of the site.
    let renderer: WebRenderer
    let sessions: WebSessions
    static let outOfBand = "urn:ietf:wg:oauth:2.0:oob"

    func register(on router: Router<VeritasRequestContext>) {
        router.post("/api/v1/apps", use: createApp)
        router.get("/oauth/authorize", use: authorizeForm)
        router.post("/oauth/authorize", use: authorize)
        router.post("/oauth/token", use: token)
        router.post("/oauth/revoke", use: revoke)
    }

    // MARK: - Apps

    struct AppParameters: Decodable {
        var clientName: String?
        var redirectUris: String?
        var scopes: String?
        var website: String?

        enum CodingKeys: String, CodingKey {
            case clientName = "client_name", redirectUris = "redirect_uris", scopes, website
        }
    }

    struct AppEntity: ResponseEncodable {
        let id, name: String
        let website: String?
        let redirectUri: String
        let redirectUris: [String]
        let scopes: [String]
        let clientId, clientSecret: String
        let vapidKey = ""
    }

    @Sendable func createApp(request: Request, context: VeritasRequestContext) async throws -> Response {
        let parameters = try await request.decode(as: AppParameters.self, context: context)
        guard let name = parameters.clientName?.trimmingCharacters(in: .whitespaces), !name.isEmpty, name.count <= 200 else {
            throw APIError(.unprocessableContent, "client_name is required")
        }
        let redirects = (parameters.redirectUris ?? Self.outOfBand).split(whereSeparator: \.isWhitespace).map(String.init)
        guard !redirects.isEmpty, redirects.allSatisfy({ $0 == Self.outOfBand || URL(string: $0)?.scheme != nil }) else {
            throw APIError(.unprocessableContent, "redirect_uris must be absolute URIs")
        }
        guard redirects.count <= 10, redirects.allSatisfy({ $0.utf8.count <= 2_000 }), (parameters.website?.utf8.count ?? 0) <= 2_000 else {
            throw APIError(.unprocessableContent, "redirect_uris and website must be at most 2,000 characters each")
        }
        guard let scopes = OAuthScopes(requested: parameters.scopes ?? "read") else {
            throw APIError(.unprocessableContent, "scopes are invalid: use Mastodon's (read, write, follow, push, admin:read, …)")
        }
        let secret = SecretToken.generate()
        let app = OAuthApp(
            id: IDGenerator.shared.next(), name: name, website: parameters.website, redirectURIs: redirects.joined(separator: "\n"),
            scopes: scopes.text, clientID: SecretToken.generate(), clientSecretHash: SecretToken.digest(secret),
            createdAt: installation.clock.now)
        try installation.store.insert(app)
        return try AppEntity(
            id: app.id, name: app.name, website: app.website, redirectUri: redirects.joined(separator: "\n"), redirectUris: redirects,
            scopes: scopes.names.sorted(), clientId: app.clientID, clientSecret: secret
        ).response(from: request, context: context)
    }

    // MARK: - Token

    struct TokenParameters: Decodable {
        var grantType: String?
        var clientId: String?
        var clientSecret: String?
        var username: String?
        var password: String?
        var code: String?
        var redirectUri: String?
        var scope: String?

        enum CodingKeys: String, CodingKey {
            case grantType = "grant_type", clientId = "client_id", clientSecret = "client_secret", username, password, code, redirectUri = "redirect_uri", scope
        }
    }

    struct TokenEntity: ResponseEncodable {
        let accessToken: String
        let tokenType = "Bearer"
        let scope: String
        let createdAt: Int
    }

    @Sendable func token(request: Request, context: VeritasRequestContext) async throws -> TokenEntity {
        let parameters = try await request.decode(as: TokenParameters.self, context: context)
        let app = try authenticateClient(id: parameters.clientId, secret: parameters.clientSecret)
        switch parameters.grantType {
        case "password":
            guard let username = parameters.username, let password = parameters.password else {
                throw APIError(.badRequest, "invalid_request")
            }
            let scope = try Self.granted(parameters.scope, app: app)
            let account = try await login(username: username, password: password, context: context)
            return try issue(app: app, accountID: account.id, scope: scope)
        case "authorization_code":
            // The client and redirect are checked in the transaction that uses the code up, so a
            // code presented by another client stays usable by its own.
            guard let code = parameters.code, let redirectURI = parameters.redirectUri,
                let grant = try installation.store.consumeCode(
                    digest: SecretToken.digest(code), appID: app.id, redirectURI: redirectURI, now: installation.clock.now)
            else { throw APIError(.badRequest, "invalid_grant") }
            return try issue(app: app, accountID: grant.accountID, scope: grant.scopes)
        case "client_credentials":
            return try issue(app: app, accountID: nil, scope: try Self.granted(parameters.scope, app: app))
        default:
            throw APIError(.badRequest, "unsupported_grant_type")
        }
    }

    /// The account for a login, under the failed-login limits (see `LoginGuard`); a wrong
    /// login or password is OAuth's `invalid_grant`.
    func login(username: String, password: String, context: VeritasRequestContext) async throws -> Account {
        do {
            return try await logins.login(username, password: password, address: context.remoteAddress)
        } catch let error as VeritasError where error.kind == .unauthorized {
            throw APIError(.badRequest, "invalid_grant")
        }
    }

    private func authenticateClient(id: String?, secret: String?) throws -> OAuthApp {
        // Digests of random secrets: comparing them reveals nothing about the secret.
        guard let id, let secret, let app = try installation.store.app(clientID: id), app.clientSecretHash == SecretToken.digest(secret)
        else { throw APIError(.unauthorized, "invalid_client") }
        return app
    }

    /// The scopes a token gets: what the client asks for (default: what its app registered)
    /// within what its app registered; `invalid_scope` when that leaves nothing.
    static func granted(_ requested: String?, app: OAuthApp) throws -> String {
        let registered = OAuthScopes(stored: app.scopes)
        guard let asked = OAuthScopes(requested: requested ?? app.scopes) else { throw APIError(.badRequest, "invalid_scope") }
        let granted = asked.granted(within: registered)
        guard !granted.isEmpty else { throw APIError(.badRequest, "invalid_scope") }
        return granted.text
    }

    private func issue(app: OAuthApp, accountID: String?, scope: String) throws -> TokenEntity {
        try Self.issue(appID: app.id, accountID: accountID, scope: scope, installation)
    }

    /// A new bearer token (only its digest is stored) in Mastodon's Token shape.
    static func issue(appID: String?, accountID: String?, scope: String, _ installation: Installation) throws -> TokenEntity {
        let secret = SecretToken.generate()
        let now = installation.clock.now
        try installation.store.insert(AccessToken(
            id: IDGenerator.shared.next(), tokenHash: SecretToken.digest(secret), appID: appID, accountID: accountID, scopes: scope,
            createdAt: now))
        return TokenEntity(accessToken: secret, scope: scope, createdAt: Int(now.timeIntervalSince1970))
    }

    // MARK: - Revoke

    struct RevokeParameters: Decodable {
        var clientId: String?
        var clientSecret: String?
        var token: String?

        enum CodingKeys: String, CodingKey {
            case clientId = "client_id", clientSecret = "client_secret", token
        }
    }

    @Sendable func revoke(request: Request, context: VeritasRequestContext) async throws -> Response {
        let parameters = try await request.decode(as: RevokeParameters.self, context: context)
        let app = try authenticateClient(id: parameters.clientId, secret: parameters.clientSecret)
        guard let token = parameters.token else { throw APIError(.badRequest, "invalid_request") }
        _ = try installation.store.revokeToken(digest: SecretToken.digest(token), appID: app.id, at: installation.clock.now)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: .init(string: "{}")))
    }

    // MARK: - Authorize (browser)

    struct AuthorizeQuery: Decodable {
        var responseType: String?
        var clientId: String?
        var redirectUri: String?
        var scope: String?
        var state: String?

        enum CodingKeys: String, CodingKey {
            case responseType = "response_type", clientId = "client_id", redirectUri = "redirect_uri", scope, state
        }
    }

    struct AuthorizeForm: Decodable {
        var clientId: String?
        var redirectUri: String?
        var scope: String?
        var state: String?
        var username: String?
        var password: String?
        var csrfToken: String?

        enum CodingKeys: String, CodingKey {
            case clientId = "client_id", redirectUri = "redirect_uri", scope, state, username, password, csrfToken = "csrf_token"
        }
    }

    static let csrfCookie = "veritas_csrf"

    @Sendable func authorizeForm(request: Request, context: VeritasRequestContext) async throws -> Response {
        let query = try request.uri.decodeQuery(as: AuthorizeQuery.self, context: context)
        let app = try validatedApp(clientID: query.clientId, redirectURI: query.redirectUri)
        guard query.responseType == nil || query.responseType == "code" else { throw APIError(.badRequest, "unsupported_response_type") }
        let csrf = SecretToken.generate()
        var response = try loginPage(
            app: app, redirectURI: query.redirectUri ?? Self.outOfBand, scope: try Self.granted(query.scope, app: app), state: query.state,
            csrf: csrf, error: nil, request: request)
        response.headers.append(HTTPField(name: .setCookie, value: "\(Self.csrfCookie)=\(csrf); Path=/oauth; HttpOnly; SameSite=Lax"))
        return response
    }

    @Sendable func authorize(request: Request, context: VeritasRequestContext) async throws -> Response {
        let form = try await request.decode(as: AuthorizeForm.self, context: context)
        let app = try validatedApp(clientID: form.clientId, redirectURI: form.redirectUri)
        let redirectURI = form.redirectUri ?? Self.outOfBand
        let scope = try Self.granted(form.scope, app: app)
        guard let sent = form.csrfToken, let cookie = request.cookies[Self.csrfCookie]?.value,
            SecretToken.digest(sent) == SecretToken.digest(cookie)
        else { throw APIError(.forbidden, "the form expired; reload the page and try again") }
        let account: Account
        do {
            account = try await login(username: form.username ?? "", password: form.password ?? "", context: context)
        } catch let error as APIError where error.status == .badRequest {
            return try loginPage(
                app: app, redirectURI: redirectURI, scope: scope, state: form.state, csrf: sent,
                error: "Invalid login or password.", request: request, status: .unauthorized)
        }
        let code = SecretToken.generate()
        try installation.store.insert(AuthorizationCode(
            codeHash: SecretToken.digest(code), appID: app.id, accountID: account.id, redirectURI: redirectURI, scopes: scope,
            expiresAt: installation.clock.now.addingTimeInterval(600)))
        if redirectURI == Self.outOfBand {
            return try renderer.page(
                "authorize-code", title: "Authorization code", session: try sessions.session(for: request),
                page: CodePage(appName: app.name, code: code))
        }
        guard var components = URLComponents(string: redirectURI) else { throw APIError(.badRequest, "invalid redirect_uri") }
        let existing = components.queryItems ?? []
        components.queryItems = existing + [URLQueryItem(name: "code", value: code)]
            + (form.state.map { [URLQueryItem(name: "state", value: $0)] } ?? [])
        guard let location = components.url?.absoluteString else { throw APIError(.badRequest, "invalid redirect_uri") }
        return Response.redirect(to: location, type: .found)
    }

    private func validatedApp(clientID: String?, redirectURI: String?) throws -> OAuthApp {
        guard let clientID, let app = try installation.store.app(clientID: clientID) else {
            throw APIError(.badRequest, "invalid_client")
        }
        let redirect = redirectURI ?? Self.outOfBand
        guard app.redirectURIList.contains(redirect) else { throw APIError(.badRequest, "redirect_uri is not registered for this app") }
        return app
    }

    struct AuthorizePage: Sendable {
        let appName, scope: String
        let hidden: [HiddenField]
        let error: String?
    }

    struct HiddenField: Sendable {
        let name, value: String
    }

    struct CodePage: Sendable {
        let appName, code: String
    }

    private func loginPage(
        app: OAuthApp, redirectURI: String, scope: String, state: String?, csrf: String, error: String?, request: Request,
        status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let hidden = [("client_id", app.clientID), ("redirect_uri", redirectURI), ("scope", scope), ("state", state ?? ""), ("csrf_token", csrf)]
            .map { HiddenField(name: $0.0, value: $0.1) }
        return try renderer.page(
            "authorize", title: "Sign in to Veritas", session: try sessions.session(for: request),
            page: AuthorizePage(appName: app.name, scope: scope, hidden: hidden, error: error), status: status)
    }
}
