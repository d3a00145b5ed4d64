// Browser sessions: sign-in issues an access token kept in an HttpOnly cookie; sign-out revokes it.
import Crypto
import Foundation
import Hummingbird
import VeritasCore

/// Issues, resolves and revokes browser sessions and derives their CSRF tokens.
///
/// A session is an access token of the existing token machinery (stored as a SHA-256 digest,
/// revoked server-side on sign-out) with no app and the scope `web`, so an API token pasted into
/// the cookie is not a session. The CSRF token is an HMAC of the session secret under the
/// `web-csrf` server secret: forms carry it, and a cross-site page cannot compute it. Signed
/// out, the same HMAC is taken of a random anonymous cookie (for the sign-in form).
struct WebSessions: Sendable {
    let installation: Installation
    /// The `web-csrf` secret (kept as bytes: `SymmetricKey` is not `Sendable`).
    let secret: Data
    var key: SymmetricKey { SymmetricKey(data: secret) }
    /// Whether cookies are `Secure` (the public URL is https).
    let secure: Bool
    /// How long a session lasts after sign-in.
    let lifetime: TimeInterval = 30 * 24 * 3600

    static let sessionCookie = "veritas_session"
    static let anonymousCookie = "veritas_anon"
    static let scope = OAuthScopes.webSession

    init(installation: Installation, secure: Bool) throws {
        self.installation = installation
        secret = try installation.secrets.key(named: "web-csrf")
        self.secure = secure
    }

    /// The session of `request`: signed in when its cookie names a live web token of an
    /// account that is not suspended; otherwise anonymous (minting the anonymous cookie once).
    func session(for request: Request) throws -> WebSession {
        if let token = request.cookies[Self.sessionCookie]?.value, !token.isEmpty,
            let (stored, account) = try installation.store.bearer(digest: SecretToken.digest(token)),
            stored.appID == nil, stored.scopes == Self.scope, let account, !account.isSuspended,
            installation.clock.now.timeIntervalSince(stored.createdAt) < lifetime
        {
            return WebSession(account: account, token: token, csrf: csrf(for: "session:" + token))
        }
        if let anonymous = request.cookies[Self.anonymousCookie]?.value, anonymous.count == 43 {
            return WebSession(account: nil, token: nil, csrf: csrf(for: "anon:" + anonymous))
        }
        let anonymous = SecretToken.generate()
        return WebSession(
            account: nil, token: nil, csrf: csrf(for: "anon:" + anonymous),
            cookies: [cookie(Self.anonymousCookie, anonymous, maxAge: nil)])
    }

    /// Refuses (403) a form whose `csrf_token` is not this session's, compared in constant time.
    func verify(_ sent: String?, for session: WebSession) throws {
        guard let sent, mac(sent) == mac(session.csrf) else { throw WebFormExpired() }
    }

    /// A new session for `account`, with its cookie set.
    func signIn(_ account: Account) throws -> WebSession {
        let token = SecretToken.generate()
        try installation.store.insert(AccessToken(
            id: IDGenerator.shared.next(), tokenHash: SecretToken.digest(token), appID: nil, accountID: account.id,
            scopes: Self.scope, createdAt: installation.clock.now))
        return WebSession(
            account: account, token: token, csrf: csrf(for: "session:" + token),
            cookies: [cookie(Self.sessionCookie, token, maxAge: Int(lifetime))])
    }

    /// Revokes the session's token server-side and clears its cookie.
    func signOut(_ session: WebSession) throws -> WebSession {
        if let token = session.token {
            _ = try installation.store.revokeToken(digest: SecretToken.digest(token), appID: nil, at: installation.clock.now)
        }
        let anonymous = SecretToken.generate()
        return WebSession(
            account: nil, token: nil, csrf: csrf(for: "anon:" + anonymous),
            cookies: [cookie(Self.sessionCookie, "", maxAge: 0), cookie(Self.anonymousCookie, anonymous, maxAge: nil)])
    }

    private func csrf(for seed: String) -> String {
        Base64URL.encode(HMAC<SHA256>.authenticationCode(for: Data(seed.utf8), using: key))
    }

    /// The MAC of a token: comparing two MACs (swift-crypto's `==` is constant time) rather
    /// than the strings leaks nothing about how much of a guess was right.
    private func mac(_ sent: String) -> HashedAuthenticationCode<SHA256> {
        HMAC<SHA256>.authenticationCode(for: Data(sent.utf8), using: key)
    }

    private func cookie(_ name: String, _ value: String, maxAge: Int?) -> String {
        var parts = ["\(name)=\(value)", "Path=/", "HttpOnly", "SameSite=Lax"]
        if let maxAge { parts.append("Max-Age=\(maxAge)") }
        if secure { parts.append("Secure") }
        return parts.joined(separator: "; ")
    }
}
