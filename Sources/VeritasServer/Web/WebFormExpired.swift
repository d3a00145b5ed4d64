// The refusal of a form whose CSRF token is missing or not this session's.
import Hummingbird

/// `403`: the form did not come from a page this session was given (or the session changed).
struct WebFormExpired: Error, Sendable {}
