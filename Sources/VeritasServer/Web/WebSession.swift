// What one browser request carries: the signed-in account (if any) and its CSRF token.
import Foundation
import HTTPTypes
import Hummingbird
import VeritasCore

/// A browser's session as one request sees it. Signed in, it is an access token of the web
/// (app-less, scope `web`) kind; signed out, an anonymous cookie only ties the CSRF token of
/// the sign-in form to this browser.
struct WebSession: Sendable {
    /// The signed-in account, nil when signed out.
    let account: Account?
    /// The session cookie's secret (an access token), when signed in.
    let token: String?
    /// The token every form of this page must send back as `csrf_token`.
    let csrf: String
    /// `Set-Cookie` values this response must carry (a new anonymous cookie, a sign-in or out).
    var cookies: [String] = []

    /// Adds the pending cookies to `response`.
    func writeCookies(into response: inout Response) {
        for cookie in cookies { response.headers.append(HTTPField(name: .setCookie, value: cookie)) }
    }

    /// The signed-in account, or a redirect to the sign-in page that comes back to `path`.
    func requireAccount(returningTo path: String) throws -> Account {
        guard let account else { throw WebRedirect(to: WebPagesController.loginPath(returningTo: path)) }
        return account
    }
}
