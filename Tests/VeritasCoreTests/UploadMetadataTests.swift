// The tus Upload-Metadata header: comma-separated `key base64value` pairs.
import Foundation
import Testing
@testable import VeritasCore

@Suite struct UploadMetadataTests {
    func value(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    @Test func pairsDecodeToTheirValues() throws {
        let metadata = try UploadMetadata(header: "filename \(value("a.mp4")),show \(value("demo")), publish \(value("true")) ,title")
        #expect(metadata.values == ["filename": "a.mp4", "show": "demo", "publish": "true", "title": ""])
        #expect(try metadata.flag("publish"))
    }

    /// Found by the `tus` fuzz target: split by Characters, a key starting with a combining mark
    /// joined the comma before it, and two pairs read as one malformed pair.
    @Test func aKeyStartingWithACombiningMarkIsAPairOfItsOwn() throws {
        let metadata = try UploadMetadata(header: "title \(value("x")),\u{304}key \(value("y"))")
        #expect(metadata.values == ["title": "x", "\u{304}key": "y"])
    }

    @Test func malformedPairsAreInvalidInput() {
        for header in ["a b c", "a YQ==,a YQ==", "a !!", ","] {
            #expect(throws: VeritasError.self) { try UploadMetadata(header: header) }
        }
    }
}
