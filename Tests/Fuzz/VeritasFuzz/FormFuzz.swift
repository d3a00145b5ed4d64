// Form and JSON bodies and query strings (SPEC §13): malformed ones are a 4xx, never a 500.
#if DEBUG
import Foundation
import HTTPTypes
import Hummingbird
import Logging
@testable import VeritasServer

/// The first byte picks one of the API's real parameter types and how the rest arrives: as an
/// `application/x-www-form-urlencoded` or JSON body through `VeritasRequestDecoder`, or as the
/// query string that `decodeQuery`, `Pagination.page` and `decodedQuery` read. Decoding must
/// succeed or fail with an error the error middleware answers with a 4xx.
enum FormFuzz {
    static let target = FuzzTarget(
        name: "form", summary: "VeritasRequestDecoder and query decoding of the API's parameter types: success or a 4xx", run: run)

    /// Every type the API decodes from a body or a query.
    static var types: [any Decodable.Type] {
        [
            StatusesController.NewStatus.self, StatusesController.ReblogForm.self, OAuthController.AppParameters.self,
            OAuthController.TokenParameters.self, OAuthController.RevokeParameters.self, OAuthController.AuthorizeForm.self,
            OAuthController.AuthorizeQuery.self, AccountsController.SignUp.self, WebSessionController.LoginForm.self,
            WebSessionController.LogoutForm.self, WebFeedController.PostForm.self, WebFeedController.ActionForm.self,
        ]
    }

    static func run(_ input: FuzzInput) {
        var input = input
        let choice = Int(input.byte())
        let text = input.text()
        let type = types[choice % types.count]
        switch choice / types.count % 3 {
        case 0: body(type, text, contentType: "application/x-www-form-urlencoded; charset=utf-8")
        case 1: body(type, text, contentType: "application/json")
        default: query(type, text)
        }
    }

    static func body<T: Decodable>(_ type: T.Type, _ text: String, contentType: String) {
        do {
            _ = try VeritasRequestDecoder.decode(type, body: ByteBuffer(string: text), contentType: contentType)
        } catch {
            refused(error, "a \(contentType) body \(text.debugDescription) as \(type)")
        }
    }

    static func query<T: Decodable>(_ type: T.Type, _ text: String) {
        // What NIO's parser lets through into a request target: no spaces or control bytes.
        let target = "/api/v1/timelines/public?" + String(text.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F }.map(Character.init))
        let request = Request(head: HTTPRequest(method: .get, scheme: nil, authority: nil, path: target), body: RequestBody(buffer: ByteBuffer()))
        let context = FuzzRequestContext(source: FuzzContextSource())
        do { _ = try request.uri.decodeQuery(as: type, context: context) } catch { refused(error, "the query \(target) as \(type)") }
        do { _ = try Pagination.page(request) } catch { refused(error, "the page query \(target)") }
        _ = request.decodedQuery
    }

    /// `error` must be answered with a 4xx, as `ErrorMiddleware` answers it.
    static func refused(_ error: any Error, _ what: @autoclosure () -> String) {
        let status = APIError.from(error).status.code
        require((400..<500).contains(status), "\(what()) answered \(status): \(String(describing: error).prefix(300))")
    }
}

/// The least a request context needs, for `decodeQuery`.
struct FuzzRequestContext: RequestContext {
    typealias Source = FuzzContextSource
    var coreContext: CoreRequestContextStorage

    init(source: FuzzContextSource) {
        coreContext = .init(source: source)
    }
}

struct FuzzContextSource: RequestContextSource {
    static let shared = Logger(label: "fuzz")
    var logger: Logger { Self.shared }
}
#endif
