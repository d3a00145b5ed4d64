// Signed, expiring playback tokens bound to an account and an asset.
import Crypto
import Foundation

/// What a playback token grants: this account may fetch this asset's files until `expiresAt`.
public struct PlaybackToken: Sendable, Equatable {
    public var accountID: String
    public var assetID: String
    /// Seconds since 1970.
    public var expiresAt: Int64
    /// The signing key's id, for rotation.
    public var keyID: String

    public init(accountID: String, assetID: String, expiresAt: Int64, keyID: String) {
        self.accountID = accountID
        self.assetID = assetID
        self.expiresAt = expiresAt
        self.keyID = keyID
    }

    /// The signed part: `account.asset.expiry.key` (ids are decimal, key ids alphanumeric).
    var payload: String { "\(accountID).\(assetID).\(expiresAt).\(keyID)" }
}

/// Why a token was refused (all answer 403; the reason is for logs and tests).
public enum TokenRejection: Error, Equatable, Sendable {
    case malformed, unknownKey, badSignature, expired
    /// Its expiry lies further ahead than any token this server issues (a forged far future).
    case beyondLifetime
}

/// Signs tokens with the newest key of a key ring and verifies them with any key in it.
public struct TokenSigner: Sendable {
    public let keyRing: TokenKeyRing

    public init(keyRing: TokenKeyRing) {
        self.keyRing = keyRing
    }

    /// The compact form `account.asset.expiry.key.signature`, URL-safe.
    public func sign(accountID: String, assetID: String, expiresAt: Int64) -> String {
        let key = keyRing.current
        let token = PlaybackToken(accountID: accountID, assetID: assetID, expiresAt: expiresAt, keyID: key.id)
        return token.payload + "." + Base64URL.encode(HMAC<SHA256>.authenticationCode(for: Data(token.payload.utf8), using: key.symmetricKey))
    }

    /// The token, if it is well-formed, signed by a known key, not expired at `now` and, given
    /// `maxLifetime` (the configured TTL), expiring no later than that plus a minute from now.
    public func verify(_ text: String, now: Date, maxLifetime: TimeInterval? = nil) throws(TokenRejection) -> PlaybackToken {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard text.utf8.count <= 256, parts.count == 5,
            parts[0].allSatisfy(\.isASCIIDigit), parts[1].allSatisfy(\.isASCIIDigit), !parts[0].isEmpty, !parts[1].isEmpty,
            // One spelling of the expiry too: Int64 also reads `+5` and `005`, and the signature
            // covers the number as the signer writes it, so each would pass as another token.
            let expiresAt = Int64(parts[2]), String(expiresAt) == parts[2], let signature = Base64URL.decode(String(parts[4])),
            // Only the canonical spelling: base64 ignores the last character's spare bits.
            Base64URL.encode(signature) == parts[4]
        else { throw .malformed }
        let token = PlaybackToken(accountID: String(parts[0]), assetID: String(parts[1]), expiresAt: expiresAt, keyID: String(parts[3]))
        guard let key = keyRing.key(id: token.keyID) else { throw .unknownKey }
        // isValidAuthenticationCode compares in constant time.
        guard HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: Data(token.payload.utf8), using: key.symmetricKey) else {
            throw .badSignature
        }
        try Self.checkExpiry(token, now: now, maxLifetime: maxLifetime)
        return token
    }

    /// Throws unless `token` is live at `now` and within `maxLifetime` (+ 60 s of clock skew).
    public static func checkExpiry(_ token: PlaybackToken, now: Date, maxLifetime: TimeInterval?) throws(TokenRejection) {
        guard Double(token.expiresAt) > now.timeIntervalSince1970 else { throw .expired }
        if let maxLifetime, Double(token.expiresAt) > now.timeIntervalSince1970 + maxLifetime + 60 { throw .beyondLifetime }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
