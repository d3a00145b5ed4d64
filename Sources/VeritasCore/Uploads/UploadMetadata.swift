// The tus `Upload-Metadata` header: comma-separated `key base64value` pairs.
import Foundation

/// Decoded upload metadata, and the episode fields SPEC §9 reads from it.
public struct UploadMetadata: Sendable, Equatable {
    public private(set) var values: [String: String] = [:]

    /// Parses the header; a malformed pair or a value that is not base64 UTF-8 is `invalidInput`.
    public init(header: String?) throws {
        guard let header, !header.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        // Split at the scalars `,` and ` ` themselves: split by Characters, a key starting with a
        // combining mark would join the comma before it, and two pairs would read as one.
        for pair in header.unicodeScalars.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = Substring(pair).trimmingCharacters(in: .whitespaces).unicodeScalars
                .split(separator: " ", omittingEmptySubsequences: true).map { String(Substring($0)) }
            guard (1...2).contains(parts.count), !parts[0].isEmpty else {
                throw VeritasError.invalid("Upload-Metadata must be comma-separated 'key base64value' pairs")
            }
            let key = String(parts[0])
            guard values[key] == nil else { throw VeritasError.invalid("Upload-Metadata names \(key) twice") }
            guard parts.count == 2 else {
                values[key] = ""
                continue
            }
            guard let data = Data(base64Encoded: String(parts[1])), let value = String(data: data, encoding: .utf8) else {
                throw VeritasError.invalid("the Upload-Metadata value of \(key) is not base64-encoded UTF-8")
            }
            values[key] = value
        }
    }

    public subscript(_ key: String) -> String? { values[key] }

    /// A whole number under `key`, if present.
    func integer(_ key: String) throws -> Int? {
        guard let text = values[key]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard let value = Int(text), value >= 0 else { throw VeritasError.invalid("metadata \(key) must be a whole number, not \(text)") }
        return value
    }

    /// `publish`: `true`/`false` (also `1`/`0`, `yes`/`no`); absent is false.
    func flag(_ key: String) throws -> Bool {
        guard let text = values[key]?.trimmingCharacters(in: .whitespaces).lowercased(), !text.isEmpty else { return false }
        switch text {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw VeritasError.invalid("metadata \(key) must be true or false, not \(text)")
        }
    }
}
