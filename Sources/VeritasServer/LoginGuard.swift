// Password checks under SPEC §13's failed-login limits, without letting strangers lock users out.
import Foundation
import Synchronization
import VeritasCore

/// Checks logins (the OAuth password grant, the authorize page and the web sign-in form alike).
///
/// Failures count per address and per resolved account: the login is looked up first, so the
/// name in any case, with spaces around it, or the account's e-mail all count as one account.
/// A guesser spreading attempts over many addresses is stopped by the account's count; but so
/// that a stranger cannot lock a user out by failing on purpose, an address from which the
/// account signed in successfully in the last 30 days is not held back by the account's count
/// (its own address count still applies).
final class LoginGuard: Sendable {
    private let accounts: AccountService
    private let store: any VeritasStore
    private let limiter: any RateLimiter
    private let clock: WallClock
    /// (account, address) pairs of successful logins, and when.
    private let known = Mutex(Generations<String, Date>(capacity: 100_000))
    static let knownFor: TimeInterval = 30 * 86_400

    init(installation: Installation) {
        accounts = installation.accounts
        store = installation.store
        limiter = installation.rateLimiter
        clock = installation.clock
    }

    /// The account for `login` and `password` tried from `address`; `RateLimited` past the
    /// limits, `unauthorized` for a wrong login or password. bcrypt runs on a thread of its
    /// own: it takes a tenth of a second or more, which would hold up the event loop.
    func login(_ login: String, password: String, address: String) async throws -> Account {
        let now = clock.now
        let normalized = String(login.trimmingCharacters(in: .whitespacesAndNewlines).lowercased().prefix(320))
        let resolved = try store.account(login: normalized)
        let accountKey = resolved.map { "account:" + $0.id } ?? "login:" + normalized
        let addressKey = "address:" + address
        let byAddress = limiter.check(.failedLogins, key: addressKey, now: now)
        guard byAddress.allowed else { throw RateLimited(limit: .failedLogins, decision: byAddress) }
        let byAccount = limiter.check(.failedLogins, key: accountKey, now: now)
        if !byAccount.allowed, !isKnown(resolved?.id, address, now: now) {
            throw RateLimited(limit: .failedLogins, decision: byAccount)
        }
        do {
            let accounts = self.accounts
            let account = try await OwnThread.run { try accounts.authenticate(resolved, password: password) }
            limiter.reset(.failedLogins, key: accountKey)
            known.withLock { $0.insert(now, for: account.id + "\u{0}" + address) }
            return account
        } catch let error as VeritasError where error.kind == .unauthorized {
            _ = limiter.take(.failedLogins, key: addressKey, now: now)
            _ = limiter.take(.failedLogins, key: accountKey, now: now)
            throw error
        }
    }

    private func isKnown(_ accountID: String?, _ address: String, now: Date) -> Bool {
        guard let accountID, let last = known.withLock({ $0.value(for: accountID + "\u{0}" + address) }) else { return false }
        return now.timeIntervalSince(last) < Self.knownFor
    }
}
