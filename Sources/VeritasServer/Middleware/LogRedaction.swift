// What of a request may be written to a log: never a token (SPEC §13).

/// Request targets as logged: the token in `/play/TOKEN/…` and `/podcasts/private/TOKEN/…`
/// replaced by `…`, the values of secret-bearing query parameters likewise, and the whole cut
/// to `maxLength` characters so a hostile megabyte of URL stays out of the log.
enum LogRedaction {
    static let maxLength = 512
    static let secretParameters: Set<String> = [
        "access_token", "token", "code", "client_secret", "password", "refresh_token", "csrf_token", "state",
    ]

    static func target(_ target: String) -> String {
        let (path, query) = split(target)
        var redacted = path
        for prefix in ["/play/", "/podcasts/private/"] where path.hasPrefix(prefix) {
            let rest = path.dropFirst(prefix.count)
            let tail = rest.firstIndex(of: "/").map { rest[$0...] } ?? ""
            redacted = prefix + "…" + tail
        }
        if let query {
            let pairs = query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
                let name = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0]
                let decoded = (String(name).removingPercentEncoding ?? String(name)).lowercased()
                return secretParameters.contains(decoded) ? name + "=…" : String(pair)
            }
            redacted += "?" + pairs.joined(separator: "&")
        }
        return message(redacted)
    }

    /// A message for the log, cut to `maxLength` characters.
    static func message(_ text: String) -> String {
        text.count > maxLength ? String(text.prefix(maxLength)) + "…" : text
    }

    private static func split(_ target: String) -> (path: String, query: Substring?) {
        guard let mark = target.firstIndex(of: "?") else { return (target, nil) }
        return (String(target[..<mark]), target[target.index(after: mark)...])
    }
}
