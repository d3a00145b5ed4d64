// A browser route's answer of "go there instead", thrown so any handler can end with it.
import Hummingbird

/// A `303 See Other` (Hummingbird's `.normal`) to a local path, rendered by `WebErrorMiddleware`.
struct WebRedirect: Error, Sendable {
    let location: String

    init(to location: String) {
        self.location = location
    }

    var response: Response { Response.redirect(to: location, type: .normal) }
}
