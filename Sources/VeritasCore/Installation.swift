// One installation of Veritas: its configuration, media directory, catalog store and secrets.
import Foundation

/// Everything a command or the server needs, opened once from the configuration.
public struct Installation: Sendable {
    public let config: VeritasConfig
    public let paths: MediaPaths
    public let store: any VeritasStore
    public let secrets: SecretStore
    public let keyVault: ContentKeyVault
    public let clock: WallClock
    /// SPEC §13's rate limits, shared by every request of this process.
    public let rateLimiter: any RateLimiter
    let environment: [String: String]

    /// Prepares the media directory, opens (and migrates) the database and loads the secrets.
    public init(
        config: VeritasConfig, environment: [String: String] = ProcessInfo.processInfo.environment, clock: WallClock = .system
    ) throws {
        self.config = config
        self.clock = clock
        self.environment = environment
        paths = MediaPaths(root: config.mediaDirectory)
        try paths.prepare()
        store = try SQLiteStore(path: paths.database.path)
        secrets = SecretStore(directory: paths.secrets, environment: environment)
        keyVault = try ContentKeyVault(secrets: secrets)
        rateLimiter = MemoryRateLimiter(enabled: config.rateLimits)
    }

    public var catalog: CatalogService { CatalogService(store: store) }
    public var accounts: AccountService { AccountService(store: store, clock: clock, bcryptCost: config.bcryptCost) }
    public var billing: BillingService { BillingService(store: store, clock: clock) }
    public var social: SocialService { SocialService(store: store, clock: clock, limiter: rateLimiter) }

    /// Private podcast feeds, keyed by the `feed-key` secret.
    public func podcastFeeds() throws -> PodcastFeeds {
        PodcastFeeds(store: store, billing: billing, secret: try secrets.key(named: "feed-key"), clock: clock)
    }

    /// Where the playback-token signing keys live.
    public var tokenKeyFile: URL { paths.secrets.appendingPathComponent("token-keys.json") }

    /// The current signing keys (created on first use).
    public func tokenKeyRing() throws -> TokenKeyRing {
        try TokenKeyRing.load(file: tokenKeyFile, environment: environment)
    }

    /// Adds a new signing key; tokens signed with older keys stay valid until they expire or
    /// their key is retired.
    public func rotateTokenKeys() throws -> TokenKeyRing {
        try changeTokenKeys { $0.rotated(now: clock.now) }
    }

    /// Removes a signing key: servers refuse the tokens it signed within seconds (they re-read
    /// the file once a second).
    public func retireTokenKey(_ id: String) throws -> TokenKeyRing {
        try changeTokenKeys { try $0.retiring(id) }
    }

    private func changeTokenKeys(_ change: (TokenKeyRing) throws -> TokenKeyRing) throws -> TokenKeyRing {
        guard environment["VERITAS_TOKEN_KEY"] == nil else {
            throw VeritasError.invalid("the signing key comes from VERITAS_TOKEN_KEY; change that variable instead")
        }
        let ring = try change(try tokenKeyRing())
        try ring.save(to: tokenKeyFile)
        return ring
    }
}
