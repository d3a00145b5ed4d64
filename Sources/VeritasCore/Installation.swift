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
    }

    public var catalog: CatalogService { CatalogService(store: store) }
    public var accounts: AccountService { AccountService(store: store, clock: clock, bcryptCost: config.bcryptCost) }
    public var billing: BillingService { BillingService(store: store, clock: clock) }
    public var social: SocialService { SocialService(store: store, clock: clock) }

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

    /// Adds a new signing key; tokens signed with older keys stay valid until they expire.
    public func rotateTokenKeys() throws -> TokenKeyRing {
        guard environment["VERITAS_TOKEN_KEY"] == nil else {
            throw VeritasError.invalid("the signing key comes from VERITAS_TOKEN_KEY; change that variable to rotate")
        }
        let ring = try tokenKeyRing().rotated(now: clock.now)
        try ring.save(to: tokenKeyFile)
        return ring
    }
}
