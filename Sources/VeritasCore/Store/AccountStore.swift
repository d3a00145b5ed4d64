// Persistence of accounts, OAuth apps, tokens and codes, plans and subscriptions.
import Foundation

/// Accounts and what authenticates them.
public protocol AccountStore: Sendable {
    /// Adds an account; `conflict` when the username or e-mail is taken.
    func insert(_ account: Account) throws
    func account(id: String) throws -> Account?
    /// The account whose username or e-mail (any case) is `login`.
    func account(login: String) throws -> Account?
    /// Every account, oldest first.
    func accounts() throws -> [Account]
    func setSuspended(accountID: String, _ suspended: Bool) throws

    func insert(_ app: OAuthApp) throws
    func app(clientID: String) throws -> OAuthApp?
    func insert(_ token: AccessToken) throws
    /// The unrevoked token with this digest and its account, in one read (every API request
    /// with a bearer token asks this).
    func bearer(digest: String) throws -> (token: AccessToken, account: Account?)?
    /// Revokes the token with this digest if it was issued to `appID`; returns whether one was.
    func revokeToken(digest: String, appID: String?, at date: Date) throws -> Bool
    func insert(_ code: AuthorizationCode) throws
    /// Marks the unexpired, unused code with this digest as used and returns it (one use only),
    /// when it was issued to `appID` for `redirectURI`; a code presented by another client or
    /// for another redirect is left as it was, still usable by its own client.
    func consumeCode(digest: String, appID: String, redirectURI: String, now: Date) throws -> AuthorizationCode?
}

/// Plans, which shows they unlock, and subscriptions.
public protocol BillingStore: Sendable {
    /// Adds a plan; `conflict` when the id is taken.
    func insert(_ plan: Plan) throws
    func plan(id: String) throws -> Plan?
    func plans() throws -> [Plan]
    /// Replaces the set of plans that unlock a show.
    func setUnlockingPlans(showID: String, planIDs: [String]) throws
    func unlockingPlans(showID: String) throws -> Set<String>
    func subscriptions(accountID: String) throws -> [Subscription]
    /// All subscriptions, optionally of one plan, oldest first.
    func subscriptions(planID: String?) throws -> [Subscription]
    /// Inserts or replaces a subscription by id.
    func save(_ subscription: Subscription) throws
}

/// Private podcast feeds.
public protocol PodcastStore: Sendable {
    func podcastFeed(accountID: String, showID: String) throws -> PodcastFeed?
    func podcastFeed(tokenHash: String) throws -> PodcastFeed?
    /// Inserts or replaces the feed of (account, show).
    func save(_ feed: PodcastFeed) throws
}

/// Everything the application stores.
public typealias VeritasStore = CatalogStore & AccountStore & BillingStore & SocialStore & PodcastStore & UploadStore & JobStore
