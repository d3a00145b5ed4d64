// One installation of Veritas: its configuration, media directory, catalog store and secrets.
import Foundation

/// Everything a command or the server needs, opened once from the configuration.
public struct Installation: Sendable {
    public let config: VeritasConfig
    public let paths: MediaPaths
    public let store: any CatalogStore
    public let secrets: SecretStore
    public let keyVault: ContentKeyVault

    /// Prepares the media directory, opens (and migrates) the database and loads the secrets.
    public init(config: VeritasConfig, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.config = config
        paths = MediaPaths(root: config.mediaDirectory)
        try paths.prepare()
        store = try SQLiteStore(path: paths.database.path)
        secrets = SecretStore(directory: paths.secrets, environment: environment)
        keyVault = try ContentKeyVault(secrets: secrets)
    }
}
