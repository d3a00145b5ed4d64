// Status text to HTML (SPEC §7): what a stranger types must come out as text, never as markup.
#if DEBUG
import Foundation
@testable import VeritasCore

/// The rest of the input is a status's text (the first byte picks which mentioned names have
/// an account). The HTML must be well-formed: only the tags and attributes `StatusText` makes,
/// balanced and nested as it nests them, every `&` an entity, attribute values quoted; and each
/// `<`, `>` and `"` typed must come out as exactly one `&lt;`, `&gt;` or `&quot;`.
enum StatusTextFuzz {
    static let target = FuzzTarget(
        name: "status-text", summary: "StatusText.html: well-formed, only its own markup, every typed < > \" escaped", run: run)

    static let baseURL = "https://veritas.example"

    static func run(_ input: FuzzInput) {
        var input = input
        let known = input.byte()
        let text = input.text()
        // Past twice the raw cap the API refuses the status before parsing it.
        guard text.count <= 2 * StatusText.maxRawLength else { return }
        let status = StatusText(text)
        var mentions: [String: String] = [:]
        for (index, name) in status.mentionedUsernames.enumerated() where (known >> (index % 8)) & 1 == 1 {
            mentions[name] = "\(baseURL)/@\(name)"
        }
        let html = status.html(baseURL: baseURL, mentions: mentions)
        if let problem = HTMLCheck.problem(in: html) { require(false, "\(problem) in \(html) from \(text.debugDescription)") }
        for (typed, escaped) in [("<", "&lt;"), (">", "&gt;"), ("\"", "&quot;")] {
            let inText = text.unicodeScalars.filter { $0 == typed.unicodeScalars.first }.count
            require(inText == occurrences(of: escaped, in: html), "\(inText) \(typed) typed, \(occurrences(of: escaped, in: html)) \(escaped) in \(html)")
        }
        require(status.hashtags.allSatisfy { $0 == $0.lowercased() && !$0.isEmpty }, "hashtags \(status.hashtags)")
        _ = status.length
    }

    /// Byte-wise: a combining mark after `;` must not hide an entity, as it would from a
    /// Character-wise search.
    static func occurrences(of needle: String, in haystack: String) -> Int {
        let needle = Array(needle.utf8), bytes = Array(haystack.utf8)
        guard bytes.count >= needle.count else { return 0 }
        return (0...(bytes.count - needle.count)).count { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}

/// A strict reader for the HTML `StatusText.html` makes.
enum HTMLCheck {
    static let entities = ["amp;", "lt;", "gt;", "quot;", "#39;"].map { Array($0.utf8) }
    static let attributes: [String: Set<String>] = ["a": ["href", "target", "rel", "class"], "span": ["class"]]

    /// What is wrong with `html`, or nil when it is well-formed.
    static func problem(in html: String) -> String? {
        let bytes = Array(html.utf8)
        var stack: [String] = []
        var index = 0
        guard bytes.starts(with: "<p>".utf8), bytes.reversed().starts(with: "</p>".utf8.reversed()) else { return "not one or more paragraphs" }
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "<"):
                guard let end = bytes[index...].firstIndex(of: UInt8(ascii: ">")) else { return "an unclosed tag" }
                let tag = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
                if let problem = apply(tag, to: &stack) { return problem }
                index = end + 1
            case UInt8(ascii: ">"):
                return "a bare >"
            case UInt8(ascii: "&"):
                guard let entity = entities.first(where: { bytes[(index + 1)...].starts(with: $0) }) else { return "a bare &" }
                index += 1 + entity.count
            default:
                guard stack.first == "p" else { return "text outside a paragraph" }
                index += 1
            }
        }
        return stack.isEmpty ? nil : "unclosed \(stack)"
    }

    /// Opens or closes `tag` (the text between `<` and `>`).
    private static func apply(_ tag: String, to stack: inout [String]) -> String? {
        if tag == "br /" { return stack.first == "p" ? nil : "a <br /> outside a paragraph" }
        if tag.hasPrefix("/") {
            let name = String(tag.dropFirst())
            guard stack.last == name else { return "</\(name)> closes \(stack)" }
            stack.removeLast()
            return nil
        }
        let name = String(tag.prefix { $0 != " " })
        switch name {
        case "p": guard stack.isEmpty else { return "a <p> inside \(stack)" }
        case "a": guard stack == ["p"] || stack == ["p", "span"] else { return "an <a> inside \(stack)" }
        case "span": guard stack.first == "p", stack.count <= 3 else { return "a <span> inside \(stack)" }
        default: return "a <\(name)> tag"
        }
        if let problem = attributesProblem(String(tag.dropFirst(name.count)), of: name) { return problem }
        stack.append(name)
        return nil
    }

    /// `rest` must be ` name="value"` pairs of allowed names, values without `"`, `<`, `>` or bare `&`.
    private static func attributesProblem(_ rest: String, of tag: String) -> String? {
        var rest = Substring(rest)
        while !rest.isEmpty {
            guard rest.hasPrefix(" "), let equals = rest.firstIndex(of: "=") else { return "attributes \(rest) of <\(tag)>" }
            let name = String(rest[rest.index(after: rest.startIndex)..<equals])
            guard attributes[tag]?.contains(name) == true else { return "attribute \(name) on <\(tag)>" }
            rest = rest[rest.index(after: equals)...]
            guard rest.hasPrefix("\"") else { return "unquoted \(name)" }
            rest = rest.dropFirst()
            guard let close = rest.firstIndex(of: "\"") else { return "unclosed \(name)" }
            let value = String(rest[..<close])
            guard !value.contains("<"), !value.contains(">") else { return "markup in \(name)=\(value)" }
            if let problem = problem(inValue: value) { return "\(problem) in \(name)" }
            rest = rest[rest.index(after: close)...]
        }
        return nil
    }

    private static func problem(inValue value: String) -> String? {
        let bytes = Array(value.utf8)
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "&") {
            guard entities.contains(where: { bytes[(index + 1)...].starts(with: $0) }) else { return "a bare &" }
        }
        return nil
    }
}
#endif
