// Plain text of a status → what it links to (URLs, #hashtags, @mentions) and its safe HTML.
import Foundation

/// A status text split into plain runs and the things Mastodon links. Everything a user typed
/// is escaped; the only markup in `html` is the `<p>`, `<br />`, `<a>` and `<span>` it makes.
public struct StatusText: Sendable, Equatable {
    /// A run of the text.
    public enum Piece: Sendable, Equatable {
        case text(String)
        case link(String)
        case hashtag(String)
        /// A username as written (without `@`).
        case mention(String)
        case lineBreak
        case paragraphBreak
    }

    public let pieces: [Piece]

    /// Characters a status may hold; each link counts as `linkLength`, as in Mastodon.
    public static let maxLength = 500
    /// The most characters a status's text may hold whatever `length` says (SPEC §13).
    public static let maxRawLength = 5_000

    /// Whether `tag` is a BCP 47 language tag of at most 16 characters: a 2–3 letter language,
    /// then subtags of 1–8 letters or digits (`en`, `pt-BR`, `zh-Hant-TW`).
    public static func isLanguageTag(_ tag: String) -> Bool {
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false)
        guard tag.utf8.count <= 16, let first = parts.first, (2...3).contains(first.utf8.count),
            first.utf8.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) })
        else { return false }
        return parts.dropFirst().allSatisfy { part in
            (1...8).contains(part.utf8.count)
                && part.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
        }
    }
    static let linkLength = 23

    public init(_ text: String) {
        pieces = Self.parse(text.replacingOccurrences(of: "\r\n", with: "\n"))
    }

    /// The length Mastodon checks against `maxLength`.
    public var length: Int {
        pieces.reduce(0) { total, piece in
            switch piece {
            case .text(let run): total + run.count
            case .link: total + Self.linkLength
            case .hashtag(let name): total + 1 + name.count
            case .mention(let name): total + 1 + name.count
            case .lineBreak: total + 1
            case .paragraphBreak: total + 2
            }
        }
    }

    /// Lowercased, distinct hashtags in order of appearance.
    public var hashtags: [String] { distinct(pieces.compactMap { if case .hashtag(let name) = $0 { name.lowercased() } else { nil } }) }

    /// Lowercased, distinct usernames mentioned, in order of appearance.
    public var mentionedUsernames: [String] {
        distinct(pieces.compactMap { if case .mention(let name) = $0 { name.lowercased() } else { nil } })
    }

    /// The status's HTML: paragraphs, line breaks, and links to URLs, hashtag timelines and the
    /// accounts in `mentions` (lowercased username → profile URL); other `@names` stay text.
    public func html(baseURL: String, mentions: [String: String]) -> String {
        var html = "<p>"
        for piece in pieces {
            switch piece {
            case .text(let run):
                html += Self.escape(run)
            case .link(let url):
                let shown = url.replacingOccurrences(of: "https://", with: "").replacingOccurrences(of: "http://", with: "")
                html += "<a href=\"\(Self.escape(url))\" target=\"_blank\" rel=\"nofollow noopener noreferrer\">\(Self.escape(shown))</a>"
            case .hashtag(let name):
                let path = name.lowercased().addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? name
                html += "<a href=\"\(baseURL)/tags/\(Self.escape(path))\" class=\"mention hashtag\" rel=\"tag\">#<span>\(Self.escape(name))</span></a>"
            case .mention(let name):
                if let url = mentions[name.lowercased()] {
                    html += "<span class=\"h-card\"><a href=\"\(Self.escape(url))\" class=\"u-url mention\">@<span>\(Self.escape(name))</span></a></span>"
                } else {
                    html += "@" + Self.escape(name)
                }
            case .lineBreak:
                html += "<br />"
            case .paragraphBreak:
                html += "</p><p>"
            }
        }
        return html + "</p>"
    }

    /// `text` safe inside HTML text and double- or single-quoted attributes.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private func distinct(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    // MARK: Parsing

    private static func parse(_ text: String) -> [Piece] {
        let chars = Array(text.trimmingCharacters(in: .whitespacesAndNewlines))
        var pieces: [Piece] = []
        var run = ""
        func flush() {
            if !run.isEmpty { pieces.append(.text(run)) }
            run = ""
        }
        var index = 0
        while index < chars.count {
            let char = chars[index]
            let previous: Character? = index > 0 ? chars[index - 1] : nil
            if char == "\n" {
                flush()
                var end = index
                while end < chars.count, chars[end].isWhitespace {
                    end += 1
                }
                let newlines = chars[index..<end].filter { $0 == "\n" }.count
                pieces.append(newlines > 1 ? .paragraphBreak : .lineBreak)
                index = end
                continue
            }
            if (char == "h" || char == "H"), isBoundary(previous), let end = linkEnd(chars, from: index) {
                flush()
                pieces.append(.link(String(chars[index..<end])))
                index = end
                continue
            }
            if char == "#", isBoundary(previous) {
                var end = index + 1
                while end < chars.count, isWordCharacter(chars[end]) {
                    end += 1
                }
                let name = String(chars[(index + 1)..<end])
                if !name.isEmpty, name.count <= 100, name.contains(where: \.isLetter) {
                    flush()
                    pieces.append(.hashtag(name))
                    index = end
                    continue
                }
            }
            if char == "@", isBoundary(previous) {
                var end = index + 1
                while end < chars.count, chars[end].isASCII, chars[end].isLetter || chars[end].isNumber || chars[end] == "_" {
                    end += 1
                }
                let name = String(chars[(index + 1)..<end])
                // `@name@other.host` names a remote account this server does not federate with.
                let remote = end < chars.count && chars[end] == "@"
                if (1...30).contains(name.count), !remote {
                    flush()
                    pieces.append(.mention(name))
                    index = end
                    continue
                }
            }
            run.append(char)
            index += 1
        }
        flush()
        return pieces
    }

    /// A mention, hashtag or link starts a word: not after a letter, digit, `_`, `/`, `@` or `#`.
    private static func isBoundary(_ previous: Character?) -> Bool {
        guard let previous else { return true }
        return !(isWordCharacter(previous) || previous == "/" || previous == "@" || previous == "#" || previous == ")")
    }

    private static func isWordCharacter(_ char: Character) -> Bool {
        char.isLetter || char.isNumber || char == "_"
    }

    /// The end of an `http://` or `https://` URL starting at `start`, trailing punctuation left out.
    private static func linkEnd(_ chars: [Character], from start: Int) -> Int? {
        let prefix = String(chars[start..<min(chars.count, start + 8)]).lowercased()
        let scheme: Int
        if prefix.hasPrefix("https://") {
            scheme = 8
        } else if prefix.hasPrefix("http://") {
            scheme = 7
        } else {
            return nil
        }
        var end = start + scheme
        // By scalar: `<` with a combining mark after it is another Character, and must end the
        // link all the same; so must a control character, which no URL holds.
        while end < chars.count, !chars[end].isWhitespace,
            !chars[end].unicodeScalars.contains(where: { "<>\"".unicodeScalars.contains($0) || $0.properties.generalCategory == .control })
        {
            end += 1
        }
        while end > start + scheme, ".,;:!?)'".contains(chars[end - 1]) {
            end -= 1
        }
        return end > start + scheme ? end : nil
    }
}
