// Secrets are generated once with 0600 permissions, or taken from the environment; content keys
// are sealed to their asset.
import Foundation
import TestSupport
import Testing
@testable import VeritasCore

@Suite struct SecretsTests {
    @Test func secretIsCreatedPrivateAndThenReused() throws {
        let folder = try Fixtures.scratchDirectory("secrets").appendingPathComponent("secrets")
        let store = SecretStore(directory: folder, environment: [:])
        let first = try store.key(named: "asset-key-wrapping")
        #expect(first.count == 32)
        #expect(try store.key(named: "asset-key-wrapping") == first)
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("asset-key-wrapping.key").path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func environmentOverridesTheFile() throws {
        let bytes = Data((0..<32).map { UInt8($0) })
        let store = SecretStore(
            directory: try Fixtures.scratchDirectory("secrets"),
            environment: ["VERITAS_ASSET_KEY_WRAPPING": bytes.base64EncodedString()])
        #expect(try store.key(named: "asset-key-wrapping") == bytes)
        let bad = SecretStore(directory: try Fixtures.scratchDirectory("secrets"), environment: ["VERITAS_ASSET_KEY_WRAPPING": "short"])
        #expect(throws: VeritasError.self) { try bad.key(named: "asset-key-wrapping") }
    }

    @Test func sealedKeyOpensOnlyForItsAssetAndWrappingKey() throws {
        let vault = ContentKeyVault(wrappingKey: Data(repeating: 1, count: 32))
        let key: [UInt8] = Array(0..<16)
        let sealed = try vault.seal(key, assetID: "42")
        #expect(!sealed.contains(Data(key)))
        #expect(try vault.open(sealed, assetID: "42") == key)
        #expect(throws: VeritasError.self) { try vault.open(sealed, assetID: "43") }
        #expect(throws: VeritasError.self) { try ContentKeyVault(wrappingKey: Data(repeating: 2, count: 32)).open(sealed, assetID: "42") }
    }

    @Test func idsAreUniqueAndSortByTime() {
        let generator = IDGenerator()
        let early = Date(timeIntervalSince1970: 1_700_000_000)
        let ids = (0..<1000).map { _ in generator.next(now: early) } + [generator.next(now: early.addingTimeInterval(1))]
        #expect(Set(ids).count == ids.count)
        let numbers = ids.compactMap(UInt64.init)
        #expect(numbers == numbers.sorted())
    }
}
