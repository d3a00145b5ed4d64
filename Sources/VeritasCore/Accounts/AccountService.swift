// Creating, authenticating and suspending accounts.
import Foundation
import HummingbirdBcrypt

/// Account operations shared by the CLI and the server.
public struct AccountService: Sendable {
    let store: any VeritasStore
    let clock: WallClock
    /// bcrypt cost factor (each step doubles the work).
    let bcryptCost: UInt8

    public init(store: any VeritasStore, clock: WallClock = .system, bcryptCost: UInt8 = 11) {
        self.store = store
        self.clock = clock
        self.bcryptCost = bcryptCost
    }

    /// Creates an account. Without a password one is generated and returned.
    @discardableResult
    public func create(
        username: String, email: String, password: String?, displayName: String? = nil, role: AccountRole = .user
    ) throws -> (account: Account, generatedPassword: String?) {
        guard Account.isValidUsername(username) else {
            throw VeritasError.invalid("username '\(username)' must be 1–30 lowercase letters, digits or underscores")
        }
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        guard Account.isPlausibleEmail(email) else { throw VeritasError.invalid("'\(email)' is not an e-mail address") }
        let generated = password == nil ? String(SecretToken.generate().prefix(16)) : nil
        guard let secret = password ?? generated, secret.count >= 8, secret.utf8.count <= 72 else {
            throw VeritasError.invalid("a password needs 8 to 72 bytes")
        }
        let account = Account(
            id: IDGenerator.shared.next(), username: username, email: email, displayName: displayName ?? username,
            passwordHash: Bcrypt.hash(secret, cost: bcryptCost), role: role, createdAt: clock.now)
        try store.insert(account)
        return (account, generated)
    }

    /// The account for `login` (username or e-mail) and `password`; `unauthorized` otherwise,
    /// `forbidden` when it is suspended. The same work is done for unknown logins, so timing
    /// does not reveal which accounts exist.
    public func authenticate(login: String, password: String) throws -> Account {
        try authenticate(try store.account(login: login.trimmingCharacters(in: .whitespaces).lowercased()), password: password)
    }

    /// The same for an account already looked up (nil when the login named none).
    public func authenticate(_ account: Account?, password: String) throws -> Account {
        let hash = account?.passwordHash ?? Self.decoyHash
        guard Bcrypt.verify(password, hash: hash), let account else {
            throw VeritasError(.unauthorized, "invalid login or password")
        }
        guard !account.isSuspended else { throw VeritasError(.forbidden, "this account is suspended") }
        return account
    }

    /// The account with this id or username, or `notFound`.
    public func account(_ key: String) throws -> Account {
        if let account = try store.account(id: key) ?? store.account(login: key.lowercased()) { return account }
        throw VeritasError.notFound("no user '\(key)'")
    }

    /// People's accounts, oldest first (shows' feed accounts are managed with their shows).
    public func accounts() throws -> [Account] { try store.accounts().filter { !$0.isBot } }

    public func suspend(_ key: String) throws -> Account {
        var account = try account(key)
        try store.setSuspended(accountID: account.id, true)
        account.isSuspended = true
        return account
    }

    /// A hash of a random password, checked when the login is unknown.
    static let decoyHash = Bcrypt.hash(SecretToken.generate(), cost: 11)
}
