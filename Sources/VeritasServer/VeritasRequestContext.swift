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
    /// What the bearer token may do (none without one), checked by `ScopeMiddleware`.
    public var scopes: OAuthScopes { OAuthScopes(stored: accessToken?.scopes ?? "") }
    /// The connection's peer: the client, or a proxy in front of it.
    public let peerAddress: String
    /// The client's IP address, for rate limits: the peer, or what a trusted proxy says in
    /// `X-Forwarded-For` (set by `ClientAddressMiddleware`).
    public var remoteAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
        remoteAddress = peerAddress
    }

    public var requestDecoder: VeritasRequestDecoder { VeritasRequestDecoder() }
    public var responseEncoder: JSONEncoder { APIJSON.encoder }
    /// API bodies are small forms and JSON; uploads have their own route.
    public var maxUploadSize: Int { 1 << 20 }

    /// The `:id` of the path as the number statuses and notifications are keyed by; anything
    /// else names nothing (`404`).
    public func numericID() throws -> Int64 {
        guard let id = RequestNumber.id(try parameters.require("id")) else { throw APIError(.notFound, "Record not found") }
        return id
    }

    /// The signed-in account, or `401`.
    public func requireAccount() throws -> Account {
        guard let account else { throw APIError(.unauthorized, "The access token is invalid") }
        return account
    }
}

/// The one JSON configuration of the API: snake_case keys out, ISO 8601 times with milliseconds.
enum APIJSON {
    /// One for all: JSONEncoder is Sendable and encodes concurrently; making one per call
    /// (with its date closure) was a measurable share of rendering a post.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(timestamp(date))
        }
        return encoder
    }()

    /// Parameter types spell their snake_case keys in `CodingKeys`, as form bodies need them too.
    static var decoder: JSONDecoder { JSONDecoder() }

    /// `2026-11-23T05:34:03.123Z`. Written by hand from `gmtime_r`: a page of statuses holds
    /// dozens of dates, and a date formatter per date was a visible share of a timeline request.
    static func timestamp(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let (seconds, fraction) = (millis >= 0 ? millis / 1000 : (millis - 999) / 1000, Int((millis % 1000 + 1000) % 1000))
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func digits(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        }
        return digits(parts.tm_year + 1900, 4) + "-" + digits(parts.tm_mon + 1, 2) + "-" + digits(parts.tm_mday, 2) + "T"
            + digits(parts.tm_hour, 2) + ":" + digits(parts.tm_min, 2) + ":" + digits(parts.tm_sec, 2) + "."
            + digits(Int32(fraction), 3) + "Z"
    }
}

/// Decodes JSON or `application/x-www-form-urlencoded` bodies (Mastodon clients send both);
/// an empty body decodes as an empty object.
public struct VeritasRequestDecoder: RequestDecoder {
    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        return try Self.decode(type, body: buffer, contentType: request.headers[.contentType])
    }

    /// `body` as `type`, read as a form or as JSON by `contentType`; every failure is an `APIError`.
    static func decode<T: Decodable>(_ type: T.Type, body buffer: ByteBuffer, contentType: String?) throws -> T {
        let contentType = contentType?.lowercased() ?? ""
        do {
            if contentType.hasPrefix("application/x-www-form-urlencoded") {
                return try URLEncodedFormDecoder().decode(type, from: String(buffer: buffer))
            }
            let data = buffer.readableBytes == 0 ? Data("{}".utf8) : Data(buffer.readableBytesView)
            return try APIJSON.decoder.decode(type, from: data)
        } catch let error as DecodingError {
            throw APIError(.unprocessableContent, "invalid parameters: \(APIError.describe(error))")
        } catch {
            // The form decoder's own errors (a malformed key such as `a[`, say) quote the input.
            throw APIError(.badRequest, "malformed request body")
        }
    }
}
