// Signing in and out of the web UI: `/login` (form and post) and `/logout`.
import Foundation
import Hummingbird
import VeritasCore

/// The sign-in form checks the password exactly as the OAuth password grant does (same rate
/// limit on failures), then starts a cookie session; signing out revokes it server-side.
struct WebSessionController: Sendable {
    let renderer: WebRenderer
    let sessions: WebSessions
    let oauth: OAuthController

    func register(on group: RouterGroup<VeritasRequestContext>) {
        group.get("/login", use: form)
        group.post("/login", use: signIn)
        group.post("/logout", use: signOut)
    }

    struct LoginPage: Sendable {
        let next: String
        let username: String
        let error: String?
    }

    struct LoginForm: Decodable {
        var username: String?
        var password: String?
        var next: String?
        var csrfToken: String?

        enum CodingKeys: String, CodingKey {
            case username, password, next, csrfToken = "csrf_token"
        }
    }

    struct LogoutForm: Decodable {
        var csrfToken: String?

        enum CodingKeys: String, CodingKey {
            case csrfToken = "csrf_token"
        }
    }

    @Sendable func form(request: Request, context: VeritasRequestContext) async throws -> Response {
        let session = try sessions.session(for: request)
        let next = Self.localPath(request.uri.queryParameters.get("next"))
        if session.account != nil { throw WebRedirect(to: next) }
        return try renderer.page(
            "login", title: "Sign in", session: session, page: LoginPage(next: next, username: "", error: nil),
            section: .init(login: true))
    }

    @Sendable func signIn(request: Request, context: VeritasRequestContext) async throws -> Response {
        let form = try await request.decode(as: LoginForm.self, context: context)
        let session = try sessions.session(for: request)
        try sessions.verify(form.csrfToken, for: session)
        let next = Self.localPath(form.next)
        let username = (form.username ?? "").trimmingCharacters(in: .whitespaces)
        let account: Account
        do {
            account = try await oauth.login(username: username, password: form.password ?? "", context: context)
        } catch let error as APIError where error.status == .badRequest {
            return try renderer.page(
                "login", title: "Sign in", session: session,
                page: LoginPage(next: next, username: username, error: "That e-mail, username or password is not right."),
                section: .init(login: true), status: .unauthorized)
        }
        let signedIn = try sessions.signIn(account)
        var response = Response.redirect(to: next, type: .normal)
        signedIn.writeCookies(into: &response)
        return response
    }

    @Sendable func signOut(request: Request, context: VeritasRequestContext) async throws -> Response {
        let form = try await request.decode(as: LogoutForm.self, context: context)
        let session = try sessions.session(for: request)
        try sessions.verify(form.csrfToken, for: session)
        var response = Response.redirect(to: "/", type: .normal)
        try sessions.signOut(session).writeCookies(into: &response)
        return response
    }

    /// A path on this site to return to; anything else (absolute URLs, `//host`) becomes `/`.
    /// `text` when it is a path of this server, else `/`. Browsers drop tabs and newlines from
    /// a URL and read `\\` as `/`, so `/\t/evil.example` would become `//evil.example`, another
    /// site: any control character, space or backslash makes it not a local path.
    static func localPath(_ text: String?) -> String {
        guard let text, text.hasPrefix("/"), !text.hasPrefix("//"), text.utf8.count <= 2_000,
            text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F && $0 != "\\" && $0.properties.generalCategory != .format })
        else { return "/" }
        return text
    }
}
