// Stream paths (SPEC §6): what follows /play/TOKEN/ must never name a file outside the asset.
#if DEBUG
import Foundation
@testable import VeritasServer

/// The rest of the input is a request path. The fast lane's split must give back the path it
/// read; then what `StreamController.target` accepts, from those components or from components
/// a percent-decoding router would pass, must be spelled byte for byte as one of the fixed names
/// or patterns, and the files it leads to must stay inside the asset's folder.
enum StreamPathFuzz {
    static let target = FuzzTarget(
        name: "stream-path", summary: "StreamController.fastPath and .target: only the asset's own files, one spelling each", run: run)

    static func run(_ input: FuzzInput) {
        var input = input
        let path = input.text()
        if let (token, components) = StreamController.fastPath(path) {
            require(!token.isEmpty && !token.utf8.contains(UInt8(ascii: "/")) && !token.utf8.contains(UInt8(ascii: "?")), "token \(token)")
            require(!components.isEmpty && components.allSatisfy { !$0.isEmpty }, "empty components in \(path)")
            let query = path.utf8.firstIndex(of: UInt8(ascii: "?")).map { path[..<$0] } ?? path[...]
            let rebuilt = "/play/\(token)/" + components.joined(separator: "/")
            require(Array(rebuilt.utf8) == Array(query.utf8), "\(path) split into \(token) and \(components)")
            check(components)
        }
        // A router that percent-decodes each component (Hummingbird's parameters may be).
        let decoded = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst(3)
            .map { Substring($0.removingPercentEncoding ?? String($0)) }
        check(Array(decoded))
        check(path.split(separator: "/", omittingEmptySubsequences: false).map { $0 })
    }

    static func check(_ components: [Substring]) {
        guard let target = StreamController.target(components) else { return }
        let spelled: [String]
        let files: [String]
        switch target {
        case .master: (spelled, files) = (["master.m3u8"], ["master.m3u8"])
        case .key: (spelled, files) = (["key"], [])
        case .enclosure: (spelled, files) = (["enclosure.m4a"], ["enclosure.m4a"])
        case .rungMaster(let rendition):
            require(rendition != "audio" && isRendition(rendition), "rung \(rendition)")
            (spelled, files) = (["master-\(rendition).m3u8"], ["master.m3u8"])
        case .playlist(let rendition, let file):
            require(isRendition(rendition) && (file == "index.m3u8" || file == "iframes.m3u8"), "playlist \(rendition)/\(file)")
            (spelled, files) = ([rendition, file], ["\(rendition)/\(file)"])
        case .segment(let rendition, let file):
            require(isRendition(rendition) && isSegment(file), "segment \(rendition)/\(file)")
            (spelled, files) = ([rendition, file], ["\(rendition)/\(file)"])
        }
        require(components.map { Array($0.utf8) } == spelled.map { Array($0.utf8) }, "\(components) accepted as \(target)")
        for file in files {
            let safe = file.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "-")
            }
            require(safe && !file.contains("..") && !file.hasPrefix("/") && !file.hasPrefix("."), "\(components) leads to \(file)")
        }
    }

    /// `audio` or `NNNp` (2–4 ASCII digits), by bytes.
    static func isRendition(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        if bytes == Array("audio".utf8) { return true }
        return (3...5).contains(bytes.count) && bytes.last == UInt8(ascii: "p") && bytes.dropLast().allSatisfy(isDigit)
    }

    /// `sNNNNN.ts` or `iNNNNN.ts`, by bytes.
    static func isSegment(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        return bytes.count == 9 && (bytes[0] == UInt8(ascii: "s") || bytes[0] == UInt8(ascii: "i"))
            && bytes[1..<6].allSatisfy(isDigit) && Array(bytes[6...]) == Array(".ts".utf8)
    }

    static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
}
#endif
