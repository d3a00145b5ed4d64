// The per-request context: Hummingbird's storage plus the caller's identity and address.
import Foundation
import Hummingbird
import NIOCore
import VeritasCore

/// What handlers know about a request beyond the request itself.
public struct VeritasRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The account behind the bearer token, set by `BearerAuthMiddleware`.
    public var account: Account?
    /// The bearer token itself (also set for app-only tokens).
    public var accessToken: AccessToken?
    /// The peer's IP address, for rate limits and logs.
    public let remoteAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    public var requestDecoder: VeritasRequestDecoder { VeritasRequestDecoder() }
    public var responseEncoder: JSONEncoder { APIJSON.encoder }
    /// API bodies are small forms and JSON; uploads have their own route.
    public var maxUploadSize: Int { 1 << 20 }

    /// The signed-in account, or `401`.
    public func requireAccount() throws -> Account {
        guard let account else { throw APIError(.unauthorized, "The access token is invalid") }
        return account
    }
}

/// The one JSON configuration of the API: snake_case keys out, ISO 8601 times with milliseconds.
enum APIJSON {
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(timestamp(date))
        }
        return encoder
    }

    /// Parameter types spell their snake_case keys in `CodingKeys`, as form bodies need them too.
    static var decoder: JSONDecoder { JSONDecoder() }

    /// `2026-11-23T05:34:03.123Z`.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}

/// Decodes JSON or `application/x-www-form-urlencoded` bodies (Mastodon clients send both);
/// an empty body decodes as an empty object.
public struct VeritasRequestDecoder: RequestDecoder {
    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        do {
            if contentType.hasPrefix("application/x-www-form-urlencoded") {
                return try URLEncodedFormDecoder().decode(type, from: String(buffer: buffer))
            }
            let data = buffer.readableBytes == 0 ? Data("{}".utf8) : Data(buffer.readableBytesView)
            return try APIJSON.decoder.decode(type, from: data)
        } catch let error as DecodingError {
            throw APIError(.unprocessableContent, "invalid parameters: \(APIError.describe(error))")
        }
    }
}
