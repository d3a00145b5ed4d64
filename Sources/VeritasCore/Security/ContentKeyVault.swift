// Seals per-asset AES-128 content keys so the database never holds them in clear.
import Crypto
import Foundation

/// Seals and opens asset content keys with the media directory's wrapping key (AES-GCM).
public struct ContentKeyVault: Sendable {
    // Kept as bytes: swift-crypto 3's SymmetricKey is not Sendable.
    private let wrappingKeyBytes: Data

    public init(wrappingKey: Data) {
        wrappingKeyBytes = wrappingKey
    }

    private var wrappingKey: SymmetricKey { SymmetricKey(data: wrappingKeyBytes) }

    /// The vault whose wrapping key is the secret `asset-key-wrapping`.
    public init(secrets: SecretStore) throws {
        wrappingKeyBytes = try secrets.key(named: "asset-key-wrapping")
    }

    /// The sealed form of a content key, bound to the asset id so it cannot be swapped to another.
    public func seal(_ key: [UInt8], assetID: String) throws -> Data {
        guard let combined = try AES.GCM.seal(key, using: wrappingKey, authenticating: Data(assetID.utf8)).combined else {
            throw VeritasError(.storage, "cannot seal a content key")
        }
        return combined
    }

    /// The content key of an asset.
    public func open(_ sealed: Data, assetID: String) throws -> [UInt8] {
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            return Array(try AES.GCM.open(box, using: wrappingKey, authenticating: Data(assetID.utf8)))
        } catch {
            throw VeritasError(.storage, "the content key of asset \(assetID) cannot be opened (wrong wrapping key?)")
        }
    }
}
