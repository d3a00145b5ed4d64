// Rendered podcast feeds, kept for a short while, plain and gzipped.
import CompressNIO
import Foundation
import NIOCore
import Synchronization

/// Rendered feeds, kept for a short while: a show with a thousand episodes costs a thousand rows
/// and files to render, and podcast apps poll. A new episode shows up within `ttl`.
///
/// A show's feed is rendered once, split at `PodcastRSS.prefixPlaceholder`, so a subscriber's
/// copy is one pass of writes. Podcast apps ask for gzip, which makes a feed's XML about twenty
/// times smaller on the wire; a body is compressed once and the compressed copy kept (for at
/// most `maxEntries` feeds and `maxBytes` at once: each subscriber's private feed is a body of
/// its own). The public plain copy, the same for everyone, is kept too.
///
/// When a copy expires, one request makes the next while the others are still answered from
/// the old one, so a busy feed never has every connection rendering it at once.
final class FeedCache: Sendable {
    private struct Kept<Value: Sendable>: Sendable {
        var value: Value
        /// Until when it is fresh.
        var expires: Date
        /// Its size in bytes.
        var size: Int
        /// Whether a request is making its successor.
        var refreshing = false
    }

    private struct State {
        var renderings: [String: Kept<[String]>] = [:]
        var bodies: [String: Kept<ByteBuffer>] = [:]
    }

    private let state = Mutex(State())
    private let ttl: TimeInterval = 30
    private let maxEntries = 512
    private let maxBytes = 128 << 20

    /// The feed body with `prefix` (already escaped) in place of the placeholder, gzipped when
    /// `gzip` is set.
    func body(show: String, isPrivate: Bool, prefix: String, gzip: Bool, now: Date, render: () throws -> String) throws -> ByteBuffer {
        let (pieces, fresh) = try kept(\.renderings, "\(show) \(isPrivate)", now: now, size: { $0.reduce(0) { $0 + $1.utf8.count } }) {
            (Self.split(try render(), at: PodcastRSS.prefixPlaceholder), now.addingTimeInterval(ttl))
        }
        guard gzip || !isPrivate else { return Self.join(pieces, prefix) }
        // A body lives as long as the rendering it was made from.
        return try kept(\.bodies, "\(gzip ? "gzip" : "plain") \(show) \(prefix)", now: now, size: \.readableBytes) {
            var body = Self.join(pieces, prefix)
            return (gzip ? try body.compress(with: .gzip()) : body, fresh)
        }.value
    }

    /// The value kept under `key`, made by `make` (which says until when it stays fresh) when
    /// there is none, or when it has expired and no other request is already making it.
    private func kept<Value: Sendable>(
        _ table: WritableKeyPath<State, [String: Kept<Value>]>, _ key: String, now: Date, size: (Value) -> Int,
        make: () throws -> (value: Value, expires: Date)
    ) throws -> (value: Value, expires: Date) {
        let stale = state.withLock { state -> (value: Value, expires: Date)? in
            guard var entry = state[keyPath: table][key] else { return nil }
            if entry.expires > now || entry.refreshing { return (entry.value, entry.expires) }
            entry.refreshing = true
            state[keyPath: table][key] = entry
            return nil
        }
        if let stale { return stale }
        do {
            let made = try make()
            let bytes = size(made.value)
            state.withLock { state in
                Self.makeRoom(in: &state[keyPath: table], now: now, limit: maxEntries, maxBytes: maxBytes / 2 - bytes)
                state[keyPath: table][key] = Kept(value: made.value, expires: made.expires, size: bytes)
            }
            return made
        } catch {
            state.withLock { $0[keyPath: table][key]?.refreshing = false }
            throw error
        }
    }

    /// Drops what has expired once `table` holds `limit` entries or more than `maxBytes`, then
    /// entries until it holds half of either (they are made again on demand).
    private static func makeRoom<Value>(in table: inout [String: Kept<Value>], now: Date, limit: Int, maxBytes: Int) {
        func bytes() -> Int { table.values.reduce(0) { $0 + $1.size } }
        guard table.count >= limit || bytes() > maxBytes else { return }
        table = table.filter { $0.value.expires > now }
        var total = bytes()
        while table.count >= limit / 2 || total > maxBytes / 2, let victim = table.first {
            total -= victim.value.size
            table.removeValue(forKey: victim.key)
        }
    }

    /// Whether an `Accept-Encoding` value takes gzip (listed, or `*`, and not at `q=0`).
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        for coding in header.split(separator: ",") {
            let parts = coding.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let name = parts.first, name == "gzip" || name == "*" else { continue }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return quality > 0
        }
        return false
    }

    /// `text` cut at every `separator` (by bytes: Foundation's `components(separatedBy:)` takes
    /// longer over a feed of a thousand items than rendering it).
    static func split(_ text: String, at separator: String) -> [String] {
        let bytes = Array(text.utf8), mark = Array(separator.utf8)
        guard let first = mark.first else { return [text] }
        var pieces: [String] = [], start = 0, index = 0
        while index + mark.count <= bytes.count {
            if bytes[index] == first, bytes[index..<index + mark.count].elementsEqual(mark) {
                pieces.append(String(decoding: bytes[start..<index], as: UTF8.self))
                index += mark.count
                start = index
            } else {
                index += 1
            }
        }
        pieces.append(String(decoding: bytes[start...], as: UTF8.self))
        return pieces
    }

    private static func join(_ pieces: [String], _ prefix: String) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(pieces.reduce(0) { $0 + $1.utf8.count } + prefix.utf8.count * pieces.count)
        for (index, piece) in pieces.enumerated() {
            if index > 0 { buffer.writeString(prefix) }
            buffer.writeString(piece)
        }
        return buffer
    }
}
