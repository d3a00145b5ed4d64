// Accounts: sign-up, verify_credentials, profiles, their statuses and follows, relationships.
import Foundation
import Hummingbird
import VeritasCore

struct AccountsController: Sendable {
    let installation: Installation
    let publicURL: PublicBaseURL
    let renderer: StatusRenderer
    var baseURL: String { publicURL.string }

    func register(on router: Router<VeritasRequestContext>) {
        router.scoped("write:accounts").post("/api/v1/accounts", use: signUp)
        router.scoped("profile").get("/api/v1/accounts/verify_credentials", use: verifyCredentials)
        router.scoped("read:follows").get("/api/v1/accounts/relationships", use: relationships)
        let accounts = router.scoped("read:accounts")
        accounts.get("/api/v1/accounts/lookup", use: lookup)
        accounts.get("/api/v1/accounts/:id", use: show)
        accounts.get("/api/v1/accounts/:id/followers", use: followers)
        accounts.get("/api/v1/accounts/:id/following", use: following)
        router.scoped("read:statuses").get("/api/v1/accounts/:id/statuses", use: statuses)
        let follows = router.scoped("write:follows")
        follows.post("/api/v1/accounts/:id/follow", use: follow)
        follows.post("/api/v1/accounts/:id/unfollow", use: unfollow)
    }

    var social: SocialService { installation.social }

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
        try installation.rateLimiter.enforce(.signUps, key: "address:" + context.remoteAddress, now: installation.clock.now)
        // bcrypt on a thread of its own, as for logins.
        let accounts = installation.accounts
        let account = try await OwnThread.run {
            try accounts.create(username: form.username ?? "", email: form.email ?? "", password: form.password ?? "").account
        }
        return try OAuthController.issue(appID: appToken.appID, accountID: account.id, scope: appToken.scopes, installation)
    }

    @Sendable func verifyCredentials(request: Request, context: VeritasRequestContext) async throws -> AccountEntity {
        AccountEntity(try context.requireAccount(), baseURL: baseURL, withSource: true)
    }

    @Sendable func show(request: Request, context: VeritasRequestContext) async throws -> AccountEntity {
        AccountEntity(try social.existingAccount(try context.parameters.require("id")), baseURL: baseURL)
    }

    /// `acct` is a username, optionally `@name` or `name@this-host`.
    @Sendable func lookup(request: Request, context: VeritasRequestContext) async throws -> AccountEntity {
        guard var acct = request.uri.queryParameters.get("acct")?.lowercased(), !acct.isEmpty else {
            throw APIError(.badRequest, "acct is missing")
        }
        if acct.hasPrefix("@") { acct.removeFirst() }
        let name = acct.split(separator: "@", maxSplits: 1).first.map(String.init) ?? acct
        guard Account.isValidUsername(name), let account = try installation.store.account(login: name), try social.isVisible(account) else {
            throw APIError(.notFound, "Record not found")
        }
        return AccountEntity(account, baseURL: baseURL)
    }

    @Sendable func statuses(request: Request, context: VeritasRequestContext) async throws -> Response {
        let author = try social.existingAccount(try context.parameters.require("id"))
        let query = request.uri.queryParameters
        func flag(_ name: String) -> Bool { ["1", "true"].contains(query.get(name)?.lowercased() ?? "") }
        let page = try Pagination.page(request)
        // Veritas has no pinned statuses.
        if flag("pinned") { return .json(Array("[]".utf8)) }
        var filter = AccountStatusFilter()
        filter.excludeReplies = flag("exclude_replies")
        filter.excludeReblogs = flag("exclude_reblogs")
        filter.onlyMedia = flag("only_media")
        filter.tag = query.get("tagged").map { $0.lowercased() }
        return try renderer.page(social.statuses(of: author, viewer: context.account, filter: filter, page: page), request: request)
    }

    @Sendable func followers(request: Request, context: VeritasRequestContext) async throws -> Response {
        let account = try social.existingAccount(try context.parameters.require("id"))
        return try accounts(installation.store.follows(ofFollowed: account.id, page: try Pagination.page(request)), \.followerID, request)
    }

    @Sendable func following(request: Request, context: VeritasRequestContext) async throws -> Response {
        let account = try social.existingAccount(try context.parameters.require("id"))
        return try accounts(installation.store.follows(byFollower: account.id, page: try Pagination.page(request)), \.followedID, request)
    }

    /// The accounts on one side of a page of follows, paged by the follows' ids.
    private func accounts(_ follows: [Follow], _ side: KeyPath<Follow, String>, _ request: Request) throws -> Response {
        let ids = follows.map { $0[keyPath: side] }
        let byID = Dictionary(try installation.store.accounts(ids: ids).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let entities = ids.compactMap { byID[$0] }.filter { !$0.isSuspended }.map { AccountEntity($0, baseURL: baseURL) }
        return try Pagination.response(entities, firstID: follows.first?.id, lastID: follows.last?.id, request: request, baseURL: baseURL)
    }

    @Sendable func follow(request: Request, context: VeritasRequestContext) async throws -> RelationshipEntity {
        RelationshipEntity(try social.follow(try context.parameters.require("id"), by: try context.requireAccount()))
    }

    @Sendable func unfollow(request: Request, context: VeritasRequestContext) async throws -> RelationshipEntity {
        RelationshipEntity(try social.unfollow(try context.parameters.require("id"), by: try context.requireAccount()))
    }

    /// `id[]=…&id[]=…` (or a single `id`).
    @Sendable func relationships(request: Request, context: VeritasRequestContext) async throws -> [RelationshipEntity] {
        let account = try context.requireAccount()
        let ids = request.queryValues("id")
        return try social.relationships(of: account, with: Array(ids.prefix(100))).map(RelationshipEntity.init)
    }
}
