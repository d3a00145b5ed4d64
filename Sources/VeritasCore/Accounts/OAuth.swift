// OAuth 2 records as Mastodon clients expect them: registered apps, access tokens, auth codes.
import Crypto
import Foundation

/// A client application registered with `POST /api/v1/apps`.
public struct OAuthApp: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var website: String?
    /// Newline-separated redirect URIs (Mastodon accepts several).
    public var redirectURIs: String
    public var scopes: String
    public var clientID: String
    /// The SHA-256 of the client secret, which the client was shown once, at registration.
    public var clientSecretHash: String
    public var createdAt: Date

    public init(
        id: String, name: String, website: String?, redirectURIs: String, scopes: String, clientID: String, clientSecretHash: String,
        createdAt: Date
    ) {
        self.id = id
        self.name = name
        self.website = website
        self.redirectURIs = redirectURIs
        self.scopes = scopes
        self.clientID = clientID
        self.clientSecretHash = clientSecretHash
        self.createdAt = createdAt
    }

    /// The registered redirect URIs.
    public var redirectURIList: [String] {
        redirectURIs.split(whereSeparator: { $0 == "\n" || $0 == " " }).map(String.init)
    }
}

/// A bearer token. Only its SHA-256 is stored, so a leaked database yields no usable token.
public struct AccessToken: Codable, Sendable, Equatable {
    public var id: String
    public var tokenHash: String
    public var appID: String?
    /// Nil for an app-only (`client_credentials`) token.
    public var accountID: String?
    public var scopes: String
    public var createdAt: Date
    public var revokedAt: Date?

    public init(id: String, tokenHash: String, appID: String?, accountID: String?, scopes: String, createdAt: Date) {
        self.id = id
        self.tokenHash = tokenHash
        self.appID = appID
        self.accountID = accountID
        self.scopes = scopes
        self.createdAt = createdAt
    }
}

/// A one-time authorization code from the authorize page, stored hashed.
public struct AuthorizationCode: Codable, Sendable, Equatable {
    public var codeHash: String
    public var appID: String
    public var accountID: String
    public var redirectURI: String
    public var scopes: String
    public var expiresAt: Date
    public var usedAt: Date?

    public init(codeHash: String, appID: String, accountID: String, redirectURI: String, scopes: String, expiresAt: Date) {
        self.codeHash = codeHash
        self.appID = appID
        self.accountID = accountID
        self.redirectURI = redirectURI
        self.scopes = scopes
        self.expiresAt = expiresAt
    }
}

/// Random secrets and their stored digests.
public enum SecretToken {
    /// 32 random bytes as base64url without padding (43 characters).
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Base64URL.encode(bytes)
    }

    /// The hex SHA-256 of a secret, which is what the database keeps.
    public static func digest(_ secret: String) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(secret.utf8)) {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// base64url without padding (RFC 4648 §5), for tokens that travel in URLs.
public enum Base64URL {
    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        // One pass over the standard alphabet's bytes: + → -, / → _, padding dropped.
        let standard = Data(bytes).base64EncodedString().utf8
        return String(decoding: standard.compactMap { byte -> UInt8? in
            switch byte {
            case UInt8(ascii: "+"): UInt8(ascii: "-")
            case UInt8(ascii: "/"): UInt8(ascii: "_")
            case UInt8(ascii: "="): nil
            default: byte
            }
        }, as: UTF8.self)
    }

    public static func decode(_ text: String) -> Data? {
        var standard: [UInt8] = []
        standard.reserveCapacity(text.utf8.count + 3)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                standard.append(byte)
            case UInt8(ascii: "-"): standard.append(UInt8(ascii: "+"))
            case UInt8(ascii: "_"): standard.append(UInt8(ascii: "/"))
            default: return nil
            }
        }
        standard.append(contentsOf: repeatElement(UInt8(ascii: "="), count: (4 - standard.count % 4) % 4))
        return Data(base64Encoded: Data(standard))
    }
}
