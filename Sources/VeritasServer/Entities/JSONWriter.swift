// JSON written straight into bytes, for the entities every post and timeline renders.
import Foundation

/// Writes a JSON object or array field by field. Foundation's encoder spent a sixth of a post's
/// CPU time on one status (boxing every value, converting every key to snake case); this
/// writes the same members (`JSONWriterTests` compares the two on every kind of status) with
/// the keys spelled as they go out.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// Whether the next member needs a comma before it.
    private var needsComma = false

    init(capacity: Int = 1024) {
        bytes.reserveCapacity(capacity)
    }

    // MARK: Members

    mutating func field(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    mutating func field(_ name: StaticString, _ value: String?) {
        key(name)
        if let value { string(value) } else { null() }
    }

    mutating func field(_ name: StaticString, _ value: Int) {
        key(name)
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func field(_ name: StaticString, _ value: Double?) {
        key(name)
        if let value, value.isFinite { bytes.append(contentsOf: String(value).utf8) } else { null() }
    }

    mutating func field(_ name: StaticString, _ value: Bool) {
        key(name)
        raw(value ? "true" : "false")
    }

    mutating func field(_ name: StaticString, _ value: Date) {
        field(name, APIJSON.timestamp(value))
    }

    /// A member whose value is written as given (`null`, `[]`).
    mutating func field(_ name: StaticString, literal: StaticString) {
        key(name)
        raw(literal)
    }

    mutating func field(_ name: StaticString, strings: [String]) {
        array(name, strings) { writer, value in writer.element { $0.string(value) } }
    }

    /// A member that is an object written by `body`.
    mutating func object(_ name: StaticString, _ body: (inout JSONWriter) -> Void) {
        key(name)
        object(body)
    }

    /// A member that is an array of `items`, each written by `element` with `element(…)`.
    mutating func array<Item>(_ name: StaticString, _ items: [Item], _ element: (inout JSONWriter, Item) -> Void) {
        key(name)
        bytes.append(UInt8(ascii: "["))
        let outer = needsComma
        needsComma = false
        for item in items { element(&self, item) }
        bytes.append(UInt8(ascii: "]"))
        needsComma = outer
    }

    /// A member that is an array of objects, each with the members `members` writes.
    mutating func objects<Item>(_ name: StaticString, _ items: [Item], _ members: (Item, inout JSONWriter) -> Void) {
        array(name, items) { json, item in json.element { json in json.object { members(item, &$0) } } }
    }

    /// One array element written by `body` (as a bare value).
    mutating func element(_ body: (inout JSONWriter) -> Void) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = false
        body(&self)
        needsComma = true
    }

    // MARK: Values

    /// `{…}` with the members `body` writes.
    mutating func object(_ body: (inout JSONWriter) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        let outer = needsComma
        needsComma = false
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = outer
    }

    /// Members of an object left open: `{` and `body`'s members, without the closing brace.
    mutating func openObject(_ body: (inout JSONWriter) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        body(&self)
    }

    mutating func null() {
        raw("null")
    }

    /// A JSON string: quote, backslash and control characters escaped; the rest (slashes and
    /// non-ASCII text included) as UTF-8, as the API's encoder writes them.
    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { text in
            var start = 0
            for (index, byte) in text.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: text[start..<index])
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
                start = index + 1
            }
            bytes.append(contentsOf: text[start...])
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func key(_ name: StaticString) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
        bytes.append(UInt8(ascii: "\""))
        raw(name)
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    private mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}
