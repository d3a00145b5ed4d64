// State the server keeps between requests: signing keys, entitlement cache, public URL.
import Foundation
import Synchronization
import VeritasCore

/// The signing key ring, re-read when `veritas keys rotate|retire` changes the file.
final class TokenKeys: Sendable {
    private let installation: Installation
    private let state: Mutex<(ring: TokenKeyRing, modified: Date?, checked: Date)>
    /// Tokens that passed verification, by their text: a player fetches many files with one
    /// token, and parsing it and checking its HMAC again each time was a sixth of a playlist
    /// request. Expiry and the key's presence in the ring are still checked on every use, and
    /// the whole map is dropped when the ring changes.
    private let verified = Mutex(Generations<String, PlaybackToken>(capacity: 10_000))
    /// The configured token lifetime: a token claiming to live longer is forged.
    private let maxLifetime: TimeInterval

    init(installation: Installation) throws {
        self.installation = installation
        maxLifetime = TimeInterval(installation.config.tokenTTL)
        let ring = try installation.tokenKeyRing()
        state = Mutex((ring, Self.modified(installation.tokenKeyFile), Date()))
    }

    private static func modified(_ file: URL) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: file.path))?[.modificationDate] as? Date
    }

    /// The signer for the current ring (the file is looked at no more than once a second).
    var signer: TokenSigner {
        let now = Date()
        let (stale, ring) = state.withLock { state -> (Bool, TokenKeyRing) in
            guard now.timeIntervalSince(state.checked) >= 1 else { return (false, state.ring) }
            state.checked = now
            return (Self.modified(installation.tokenKeyFile) != state.modified, state.ring)
        }
        guard stale, let fresh = try? installation.tokenKeyRing() else { return TokenSigner(keyRing: ring) }
        state.withLock { $0 = (fresh, Self.modified(installation.tokenKeyFile), now) }
        if fresh != ring { verified.withLock { $0.removeAll() } }
        return TokenSigner(keyRing: fresh)
    }

    /// `signer.verify`, remembered for tokens that pass.
    func verify(_ text: String, now: Date) throws(TokenRejection) -> PlaybackToken {
        let signer = self.signer
        if let token = verified.withLock({ $0.value(for: text) }) {
            guard signer.keyRing.key(id: token.keyID) != nil else { throw .unknownKey }
            try TokenSigner.checkExpiry(token, now: now, maxLifetime: maxLifetime)
            return token
        }
        let token = try signer.verify(text, now: now, maxLifetime: maxLifetime)
        verified.withLock { $0.insert(token, for: text) }
        return token
    }
}

/// Remembers for a short while whether an account may play an asset, so segment requests do not
/// hit the database; a revoked subscription or unpublished episode takes effect within `ttl`.
final class EntitlementCache: Sendable {
    private let entries = Mutex<[String: (allowed: Bool, checked: Date)]>([:])
    let ttl: TimeInterval
    let capacity: Int

    init(ttl: TimeInterval = 30, capacity: Int = 50_000) {
        self.ttl = ttl
        self.capacity = capacity
    }

    /// Viewer–asset pairs checked within the last minute: the streams in progress.
    func activeCount(now: Date) -> Int {
        entries.withLock { $0.values.filter { $0.allowed && now.timeIntervalSince($0.checked) < 60 }.count }
    }

    /// The cached answer for `key`, or `compute()`'s, remembered.
    func allowed(_ key: String, now: Date, compute: () throws -> Bool) rethrows -> Bool {
        if let entry = entries.withLock({ $0[key] }), now.timeIntervalSince(entry.checked) < ttl { return entry.allowed }
        let allowed = try compute()
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { now.timeIntervalSince($0.value.checked) < ttl }
                if entries.count >= capacity { entries.removeAll() }
            }
            entries[key] = (allowed, now)
        }
        return allowed
    }
}

/// The base of every absolute URL the server emits: the configured public URL, or
/// `http://host:port` with the port actually bound (which differs when asked for port 0).
final class PublicBaseURL: Sendable {
    private let value: Mutex<String>
    private let isConfigured: Bool
    private let host: String

    init(config: VeritasConfig) {
        value = Mutex(config.resolvedPublicURL)
        isConfigured = config.publicURL != nil
        host = config.host
    }

    var string: String { value.withLock { $0 } }

    /// Records the bound port when no public URL was configured.
    func serverBound(port: Int) {
        guard !isConfigured else { return }
        value.withLock { $0 = "http://\(host):\(port)" }
    }
}
