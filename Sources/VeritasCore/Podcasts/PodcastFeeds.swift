// Private podcast feeds: one revocable token per (account, show), checked against the live entitlement.
import Crypto
import Foundation

/// A subscriber's private feed of one show. The token is derived (HMAC of account, show and
/// generation under a server secret), so asking again gives the same URL; only its digest is
/// stored, and a reset moves to the next generation, which kills the old URL.
public struct PodcastFeed: Codable, Sendable, Equatable {
    public var accountID: String
    public var showID: String
    public var generation: Int
    /// SHA-256 (hex) of the token.
    public var tokenHash: String
    public var createdAt: Date

    public init(accountID: String, showID: String, generation: Int, tokenHash: String, createdAt: Date) {
        self.accountID = accountID
        self.showID = showID
        self.generation = generation
        self.tokenHash = tokenHash
        self.createdAt = createdAt
    }
}

/// Hands out, resets and checks private feed tokens.
public struct PodcastFeeds: Sendable {
    let store: any VeritasStore
    let billing: BillingService
    /// The `feed-key` secret (kept as bytes: `SymmetricKey` is not `Sendable`).
    let secret: Data
    let clock: WallClock

    public init(store: any VeritasStore, billing: BillingService, secret: Data, clock: WallClock = .system) {
        self.store = store
        self.billing = billing
        self.secret = secret
        self.clock = clock
    }

    /// The caller's feed token for `show`, created on first use; `forbidden` unless the account
    /// may play the show now.
    public func token(for account: Account, show: Show) throws -> String {
        try requireEntitlement(account, show)
        if let feed = try store.podcastFeed(accountID: account.id, showID: show.id) {
            return token(account.id, show.id, feed.generation)
        }
        return try save(account: account, show: show, generation: 1)
    }

    /// A new token for `show`; the previous URL stops working at once.
    public func reset(for account: Account, show: Show) throws -> String {
        try requireEntitlement(account, show)
        let generation = (try store.podcastFeed(accountID: account.id, showID: show.id)?.generation ?? 0) + 1
        return try save(account: account, show: show, generation: generation)
    }

    /// The account and show behind a token, if the token is current and the account may still
    /// play the show; `forbidden` otherwise (unknown, reset, suspended, lapsed or revoked).
    public func resolve(_ token: String) throws -> (account: Account, show: Show) {
        let refused = VeritasError(.forbidden, "this feed is no longer valid")
        guard token.count <= 128, let feed = try store.podcastFeed(tokenHash: SecretToken.digest(token)),
            let account = try store.account(id: feed.accountID), !account.isSuspended, let show = try store.show(feed.showID),
            try billing.canPlay(account: account, show: show)
        else { throw refused }
        return (account, show)
    }

    private func requireEntitlement(_ account: Account, _ show: Show) throws {
        guard try billing.canPlay(account: account, show: show) else { throw VeritasError(.forbidden, "subscription_required") }
    }

    private func save(account: Account, show: Show, generation: Int) throws -> String {
        let token = token(account.id, show.id, generation)
        try store.save(
            PodcastFeed(
                accountID: account.id, showID: show.id, generation: generation, tokenHash: SecretToken.digest(token), createdAt: clock.now))
        return token
    }

    private func token(_ accountID: String, _ showID: String, _ generation: Int) -> String {
        Base64URL.encode(HMAC<SHA256>.authenticationCode(for: Data("\(accountID):\(showID):\(generation)".utf8), using: SymmetricKey(data: secret)))
    }
}
