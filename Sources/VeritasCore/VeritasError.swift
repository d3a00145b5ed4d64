// The domain's one error type; the server maps `kind` to an HTTP status in one place.

/// An error a user or operator can act on: what kind of failure, and a one-line message.
public struct VeritasError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The class of failure, which decides the HTTP status or exit path.
    public enum Kind: String, Sendable {
        case invalidInput, notFound, conflict, forbidden, unauthorized, mediaFailed, storage
        /// More than a configured limit allows.
        case tooLarge
        /// Existed once, and no longer does (an expired upload).
        case gone
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    static func invalid(_ message: String) -> VeritasError { VeritasError(.invalidInput, message) }
    static func notFound(_ message: String) -> VeritasError { VeritasError(.notFound, message) }
    static func conflict(_ message: String) -> VeritasError { VeritasError(.conflict, message) }
}
