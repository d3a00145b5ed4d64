// Every failure becomes `{"error": "..."}` with the right status, decided here and nowhere else.
import Foundation
import HTTPTypes
import Hummingbird
import VeritasCore

/// An HTTP error with a JSON body, as Mastodon clients expect.
public struct APIError: Error, HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    public let message: String
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        let body = try APIJSON.encoder.encode(["error": message])
        return Response(status: status, headers: headers, body: .init(byteBuffer: .init(bytes: body)))
    }

    /// The status and message for any error a handler throws.
    static func from(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as VeritasError:
            let status: HTTPResponse.Status =
                switch error.kind {
                case .invalidInput: .unprocessableContent
                case .notFound: .notFound
                case .conflict: .conflict
                case .forbidden: .forbidden
                case .unauthorized: .unauthorized
                case .mediaFailed: .unprocessableContent
                case .storage: .internalServerError
                case .tooLarge: .contentTooLarge
                case .gone: .gone
                }
            return APIError(status, error.kind == .storage ? "internal error" : error.message)
        case let error as RateLimited:
            return APIError(.tooManyRequests, "Too many requests; try again later", headers: error.decision.headers)
        case is TokenRejection:
            return APIError(.forbidden, "invalid or expired token")
        case let error as DecodingError:
            return APIError(.badRequest, "invalid parameters: \(describe(error))")
        case is URLEncodedFormError:
            // A malformed query string (`decodeQuery`) or form; its message quotes the input.
            return APIError(.badRequest, "malformed form or query string")
        case let error as HTTPError:
            return APIError(error.status, error.body ?? error.status.reasonPhrase, headers: error.headers)
        case let error as any HTTPResponseError:
            return APIError(error.status, error.status.reasonPhrase)
        default:
            return APIError(.internalServerError, "internal error")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): "\(key.stringValue) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            context.codingPath.map(\.stringValue).joined(separator: ".").isEmpty
                ? "malformed body" : "\(context.codingPath.map(\.stringValue).joined(separator: ".")) is invalid"
        @unknown default: "malformed body"
        }
    }
}

/// Turns thrown errors into JSON responses and logs the unexpected ones.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = VeritasRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = APIError.from(error)
            if apiError.status == .internalServerError {
                context.logger.error("request failed: \(LogRedaction.message(String(describing: error)))")
            }
            return try apiError.response(from: request, context: context)
        }
    }
}

extension HTTPField.Name {
    /// The request's id, the one the request log shows.
    static let requestID = Self("X-Request-Id")!
}

/// Adds the request id to every response so a client report can be matched to the logs.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = VeritasRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.requestID] = context.id
        return response
    }
}

extension RateDecision {
    /// `Retry-After` and the `X-RateLimit-*` headers Mastodon sends (its reset is a timestamp).
    var headers: HTTPFields {
        var headers = HTTPFields()
        headers[.retryAfter] = String(max(1, retryAfter))
        headers[HTTPField.Name("X-RateLimit-Limit")!] = String(limit)
        headers[HTTPField.Name("X-RateLimit-Remaining")!] = String(remaining)
        headers[HTTPField.Name("X-RateLimit-Reset")!] = APIJSON.timestamp(reset)
        return headers
    }
}
