// RSS 2.0 for a podcast show, with the iTunes and Podcasting 2.0 namespaces.
import Crypto
import Foundation
import MediaPipeline
import VeritasCore

/// One episode as a feed item: its enclosure file and where clients fetch it.
struct PodcastItem {
    let episode: Episode
    let asset: Asset
    let enclosureURL: String
    let enclosureLength: Int
    /// Podcasting 2.0 JSON chapters, when the source had chapter marks.
    let chaptersURL: String?
}

/// Podcasting 2.0 JSON chapters (`application/json+chapters`), from the source's marks.
struct PodcastChapters: Encodable {
    struct Mark: Encodable {
        let startTime: Double
        let title: String
    }

    let version = "1.2.0"
    let chapters: [Mark]

    init(_ marks: [SourceInfo.Chapter]) {
        chapters = marks.map { Mark(startTime: ($0.start * 1000).rounded() / 1000, title: $0.title) }
    }

    /// The document, with the keys as the spec spells them (not the API's snake_case).
    func json() throws -> [UInt8] { Array(try JSONEncoder().encode(self)) }
}

/// A podcast feed document. Every user string is escaped; guids are the episode ids, so they
/// stay the same in every subscriber's private feed and across resets.
struct PodcastRSS {
    let show: Show
    let items: [PodcastItem]
    /// This document's own URL (`atom:link rel="self"`).
    let selfURL: String
    /// The show's public feed URL, from which `podcast:guid` is derived for every copy.
    let publicFeedURL: String
    let baseURL: String
    /// Private feeds are locked against import elsewhere.
    let isPrivate: Bool

    var xml: String {
        let link = "\(baseURL)/shows/\(show.slug)"
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" \
            xmlns:podcast="https://podcastindex.org/namespace/1.0" xmlns:atom="http://www.w3.org/2005/Atom">
            <channel>
            <title>\(Self.escape(show.title))</title>
            <link>\(Self.escape(link))</link>
            <atom:link href="\(Self.escapeURL(selfURL))" rel="self" type="application/rss+xml"/>
            <description>\(Self.escape(show.description.isEmpty ? show.title : show.description))</description>
            <language>en</language>
            <generator>Veritas</generator>
            <itunes:author>\(Self.escape(show.title))</itunes:author>
            <itunes:summary>\(Self.escape(show.description))</itunes:summary>
            <itunes:category text="\(show.kind == .podcast ? "News" : "TV &amp; Film")"/>
            <itunes:explicit>false</itunes:explicit>
            <itunes:type>episodic</itunes:type>
            <podcast:guid>\(Self.podcastGUID(publicFeedURL))</podcast:guid>
            <podcast:locked>\(isPrivate ? "yes" : "no")</podcast:locked>

            """
        if let poster = items.lazy.compactMap({ CatalogController.posterURL($0.asset, baseURL: self.baseURL) }).first {
            out += "<itunes:image href=\"\(Self.escape(poster))\"/>\n"
            out += "<image><url>\(Self.escape(poster))</url><title>\(Self.escape(show.title))</title><link>\(Self.escape(link))</link></image>\n"
        }
        for item in items {
            let episode = item.episode
            out += "<item>\n"
            out += "<title>\(Self.escape(episode.title))</title>\n"
            out += "<guid isPermaLink=\"false\">\(Self.escape(episode.id))</guid>\n"
            out += "<link>\(Self.escape("\(baseURL)/episodes/\(episode.id)"))</link>\n"
            out += "<description>\(Self.escape(episode.description.isEmpty ? episode.title : episode.description))</description>\n"
            out += "<pubDate>\(Self.rfc2822(episode.publishedAt ?? episode.createdAt))</pubDate>\n"
            out += "<enclosure url=\"\(Self.escapeURL(item.enclosureURL))\" length=\"\(item.enclosureLength)\" type=\"audio/mp4\"/>\n"
            out += "<itunes:title>\(Self.escape(episode.title))</itunes:title>\n"
            out += "<itunes:duration>\(Int((item.asset.duration ?? 0).rounded()))</itunes:duration>\n"
            if let season = episode.season { out += "<itunes:season>\(season)</itunes:season>\n" }
            if let number = episode.number { out += "<itunes:episode>\(number)</itunes:episode>\n" }
            if let chapters = item.chaptersURL {
                out += "<podcast:chapters url=\"\(Self.escapeURL(chapters))\" type=\"application/json+chapters\"/>\n"
            }
            out += "<itunes:episodeType>full</itunes:episodeType>\n"
            out += "<itunes:explicit>false</itunes:explicit>\n"
            if let poster = CatalogController.posterURL(item.asset, baseURL: baseURL) {
                out += "<itunes:image href=\"\(Self.escape(poster))\"/>\n"
            }
            out += "</item>\n"
        }
        return out + "</channel>\n</rss>\n"
    }

    /// Stands for a URL prefix filled in later (`FeedCache`): made of NUL characters, which
    /// `escape` drops from every user string, so nothing else can look like it.
    static let prefixPlaceholder = "\u{0}prefix\u{0}"

    /// A URL escaped like text, the prefix placeholder kept.
    static func escapeURL(_ url: String) -> String {
        url.components(separatedBy: prefixPlaceholder).map(escape).joined(separator: prefixPlaceholder)
    }

    /// Text safe in XML content and attributes: the characters XML 1.0 forbids dropped, then
    /// escaped as status HTML is (`&#39;` is as good in XML as in HTML).
    static func escape(_ text: String) -> String {
        var allowed = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where scalar.value >= 0x20 || "\t\n\r".unicodeScalars.contains(scalar) {
            if !(0xFFFE...0xFFFF).contains(scalar.value) { allowed.append(scalar) }
        }
        return StatusText.escape(String(allowed))
    }

    /// `Mon, 23 Nov 2026 08:30:00 +0000` (RFC 2822, in UTC).
    static func rfc2822(_ date: Date) -> String {
        var time = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&time, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) +0000"
    }

    /// Podcasting 2.0's `podcast:guid`: a UUIDv5 of the feed URL without scheme and trailing
    /// slashes, in the namespace the spec fixes.
    static func podcastGUID(_ feedURL: String) -> String {
        var name = feedURL
        if let range = name.range(of: "://") { name = String(name[range.upperBound...]) }
        while name.hasSuffix("/") { name.removeLast() }
        let namespace: [UInt8] = [
            0xea, 0xd4, 0xc2, 0x36, 0xbf, 0x58, 0x58, 0xc6, 0xa2, 0xc6, 0xa6, 0xb2, 0x8d, 0x12, 0x8c, 0xb6,
        ]
        var bytes = Array(Insecure.SHA1.hash(data: Data(namespace + Array(name.utf8))).prefix(16))
        bytes[6] = (bytes[6] & 0x0f) | 0x50
        bytes[8] = (bytes[8] & 0x3f) | 0x80
        let hex = bytes.map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined()
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return parts.joined(separator: "-")
    }
}
