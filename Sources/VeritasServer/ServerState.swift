// State the server keeps between requests: signing keys, entitlement and login caches.
import Foundation
import Synchronization
import VeritasCore

/// The signing key ring, re-read when `veritas keys rotate` changes the file.
final class TokenKeys: Sendable {
    private let installation: Installation
    private let state: Mutex<(ring: TokenKeyRing, modified: Date?, checked: Date)>
    /// Tokens that passed verification, by their text: a player fetches many files with one
    /// token, and parsing it and checking its HMAC again each time was a sixth of a playlist
    /// request. Expiry is still checked on every use; keys are never withdrawn before the
    /// tokens they signed expire.
    private let verified = Mutex(Generations<String, PlaybackToken>(capacity: 10_000))

    init(installation: Installation) throws {
        self.installation = installation
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
        return TokenSigner(keyRing: fresh)
    }

    /// `signer.verify`, remembered for tokens that pass.
    func verify(_ text: String, now: Date) throws(TokenRejection) -> PlaybackToken {
        if let token = verified.withLock({ $0.value(for: text) }) {
            guard Double(token.expiresAt) > now.timeIntervalSince1970 else { throw .expired }
            return token
        }
        let token = try signer.verify(text, now: now)
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

/// Counts failed logins per account and per address; past the limit, logins wait.
final class LoginRateLimiter: Sendable {
    private let failures = Mutex<[String: [Date]]>([:])
    let limit: Int
    let window: TimeInterval

    init(limit: Int = 10, window: TimeInterval = 300) {
        self.limit = limit
        self.window = window
    }

    /// Seconds to wait before another attempt for any of `keys`, or nil when one may try now.
    func retryAfter(_ keys: [String], now: Date) -> Int? {
        failures.withLock { failures in
            let waits = keys.compactMap { key -> Int? in
                let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
                failures[key] = recent.isEmpty ? nil : recent
                guard recent.count >= limit, let oldest = recent.first else { return nil }
                return max(1, Int((window - now.timeIntervalSince(oldest)).rounded(.up)))
            }
            return waits.max()
        }
    }

    func recordFailure(_ keys: [String], now: Date) {
        failures.withLock { failures in
            for key in keys { failures[key, default: []].append(now) }
        }
    }

    func reset(_ key: String) {
        failures.withLock { $0[key] = nil }
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
