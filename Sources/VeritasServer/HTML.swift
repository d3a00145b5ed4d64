// Escaping for the few server-rendered pages.
import VeritasCore

enum HTML {
    /// Text safe inside element content and quoted attributes (the same escaping as statuses).
    static func escape(_ text: String) -> String {
        StatusText.escape(text)
    }
}
