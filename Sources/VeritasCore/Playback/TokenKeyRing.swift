// The playback-token signing keys: the newest signs, all verify, rotation adds one.
import Crypto
import Foundation

/// One HMAC-SHA256 signing key.
public struct TokenKey: Codable, Sendable, Equatable {
    /// Short alphanumeric id carried in every token.
    public let id: String
    /// 32 random bytes, base64.
    public let secret: String
    public let createdAt: Date
    /// The decoded secret, kept so that verifying a token does no base64 work.
    private let bytes: Data

    enum CodingKeys: String, CodingKey {
        case id, secret, createdAt
    }

    init(id: String, secret: String, createdAt: Date) {
        self.id = id
        self.secret = secret
        self.createdAt = createdAt
        bytes = Data(base64Encoded: secret) ?? Data()
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            id: container.decode(String.self, forKey: .id), secret: container.decode(String.self, forKey: .secret),
            createdAt: container.decode(Date.self, forKey: .createdAt))
    }

    var symmetricKey: SymmetricKey { SymmetricKey(data: bytes) }
}

/// The signing keys, oldest first. Stored as `Media/secrets/token-keys.json` (0600), or one key
/// from `VERITAS_TOKEN_KEY` (base64).
public struct TokenKeyRing: Sendable, Equatable {
    public private(set) var keys: [TokenKey]

    public init(keys: [TokenKey]) {
        precondition(!keys.isEmpty, "a key ring has at least one key")
        self.keys = keys
    }

    /// The key new tokens are signed with.
    public var current: TokenKey { keys[keys.count - 1] }

    public func key(id: String) -> TokenKey? { keys.last { $0.id == id } }

    /// A ring with one more, newest key.
    public func rotated(now: Date = Date()) -> TokenKeyRing {
        let next = (keys.compactMap { Int($0.id.dropFirst()) }.max() ?? 0) + 1
        return TokenKeyRing(keys: keys + [TokenKeyRing.newKey(id: "k\(next)", now: now)])
    }

    /// The ring without the key `id`, whose tokens then stop verifying; the signing key cannot
    /// be retired (rotate first).
    public func retiring(_ id: String) throws -> TokenKeyRing {
        guard keys.contains(where: { $0.id == id }) else { throw VeritasError.notFound("no signing key \(id)") }
        guard id != current.id else { throw VeritasError.invalid("\(id) signs new tokens; run `veritas keys rotate` first, then retire it") }
        return TokenKeyRing(keys: keys.filter { $0.id != id })
    }

    static func newKey(id: String, now: Date) -> TokenKey {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        // Whole seconds, as the ISO 8601 file keeps them.
        return TokenKey(id: id, secret: bytes.base64EncodedString(), createdAt: Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down)))
    }

    /// The ring from the environment, or from `file` (created with one key if absent).
    public static func load(file: URL, environment: [String: String]) throws -> TokenKeyRing {
        if let encoded = environment["VERITAS_TOKEN_KEY"] {
            guard let data = Data(base64Encoded: encoded), data.count >= 32 else {
                throw VeritasError.invalid("VERITAS_TOKEN_KEY must be at least 32 bytes in base64")
            }
            return TokenKeyRing(keys: [TokenKey(id: "env", secret: encoded, createdAt: Date(timeIntervalSince1970: 0))])
        }
        if let data = try? Data(contentsOf: file) {
            guard let keys = try? JSONDecoder.veritas.decode([TokenKey].self, from: data), !keys.isEmpty else {
                throw VeritasError(.storage, "\(file.path) is damaged")
            }
            return TokenKeyRing(keys: keys)
        }
        let ring = TokenKeyRing(keys: [newKey(id: "k1", now: Date())])
        try ring.save(to: file)
        return ring
    }

    /// Writes the ring atomically with 0600 permissions.
    public func save(to file: URL) throws {
        let data = try JSONEncoder.veritas.encode(keys)
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw VeritasError(.storage, "cannot write \(file.path)")
        }
        guard rename(temporary.path, file.path) == 0 else {
            unlink(temporary.path)
            throw VeritasError(.storage, "cannot replace \(file.path)")
        }
    }
}

extension JSONEncoder {
    /// The one JSON configuration for files Veritas writes.
    static var veritas: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return encoder
    }
}

extension JSONDecoder {
    static var veritas: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
