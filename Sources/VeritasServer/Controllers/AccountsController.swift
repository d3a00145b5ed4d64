// Sign-up and verify_credentials.
import Foundation
import Hummingbird
import VeritasCore

struct AccountsController: Sendable {
    let installation: Installation
    let publicURL: PublicBaseURL
    var baseURL: String { publicURL.string }

    func register(on router: Router<VeritasRequestContext>) {
        router.post("/api/v1/accounts", use: signUp)
        router.get("/api/v1/accounts/verify_credentials", use: verifyCredentials)
    }

    struct SignUp: Decodable {
        var username: String?
        var email: String?
        var password: String?
        var agreement: String?
        var locale: String?

        enum CodingKeys: String, CodingKey {
            case username, email, password, agreement, locale
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            username = try container.decodeIfPresent(String.self, forKey: .username)
            email = try container.decodeIfPresent(String.self, forKey: .email)
            password = try container.decodeIfPresent(String.self, forKey: .password)
            locale = try container.decodeIfPresent(String.self, forKey: .locale)
            // Forms send "true"; JSON clients send true.
            agreement = (try? container.decodeIfPresent(Bool.self, forKey: .agreement)).flatMap { $0.map(String.init) }
                ?? (try? container.decodeIfPresent(String.self, forKey: .agreement)) ?? nil
        }
    }

    /// Mastodon's sign-up: needs an app token, returns a user token.
    @Sendable func signUp(request: Request, context: VeritasRequestContext) async throws -> OAuthController.TokenEntity {
        guard let appToken = context.accessToken else { throw APIError(.unauthorized, "The access token is invalid") }
        let form = try await request.decode(as: SignUp.self, context: context)
        guard ["true", "1"].contains(form.agreement?.lowercased() ?? "") else {
            throw APIError(.unprocessableContent, "agreement must be accepted")
        }
        let account = try installation.accounts.create(
            username: form.username ?? "", email: form.email ?? "", password: form.password ?? "").account
        return try OAuthController.issue(appID: appToken.appID, accountID: account.id, scope: appToken.scopes, installation)
    }

    @Sendable func verifyCredentials(request: Request, context: VeritasRequestContext) async throws -> AccountEntity {
        AccountEntity(try context.requireAccount(), baseURL: baseURL, withSource: true)
    }
}
