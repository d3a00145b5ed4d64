// The client's address behind reverse proxies, trusted only as far as the operator says.
import HTTPTypes
import Hummingbird
import VeritasCore

/// Sets `context.remoteAddress` from `X-Forwarded-For` when the peer is a trusted proxy
/// (`VERITAS_TRUSTED_PROXIES`): the addresses are read from the right, past every trusted
/// proxy, and the first one that is not a proxy is the client. Anyone can write the header,
/// so from an untrusted peer it is ignored.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = VeritasRequestContext
    let trusted: [AddressRange]

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !trusted.isEmpty, isTrusted(context.peerAddress) else { return try await next(request, context) }
        let hops = request.headers[values: Self.forwardedFor].flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        var context = context
        for hop in hops.reversed().prefix(32) {
            guard !hop.contains("/"), AddressRange(hop) != nil else { break }
            context.remoteAddress = hop
            if !isTrusted(hop) { break }
        }
        return try await next(request, context)
    }

    private func isTrusted(_ address: String) -> Bool { trusted.contains { $0.contains(address) } }
}
