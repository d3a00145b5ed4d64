// Statuses and accounts written by hand (`JSONWriter`) carry exactly what the Codable encoding
// of the same entities carries, for every kind of status and every awkward character.
import Foundation
import Testing
@testable import VeritasCore
@testable import VeritasServer

@Suite struct JSONWriterTests {
    static let baseURL = "https://veritas.example"

    static func account(_ name: String, lastStatus: Date? = nil, bot: Bool = false, note: String = "") -> Account {
        var account = Account(
            id: "\(name.utf8.count)1234567", username: name, email: "\(name)@example.com", displayName: "Dïsplay \"\(name)\"\n\u{01}",
            passwordHash: "x", role: bot ? .user : .admin, isBot: bot, createdAt: Date(timeIntervalSince1970: 1_795_441_338.123))
        account.lastStatusAt = lastStatus
        account.note = note
        account.followersCount = 100_000
        account.statusesCount = 7
        return account
    }

    static func views() -> [StatusView] {
        let author = account("author", lastStatus: Date(timeIntervalSince1970: 1_795_441_000))
        let friend = account("friend")
        var plain = Status(
            id: 117_667_372_218_611_511, accountID: author.id, text: "Hi @friend, see #News & <script>alert(\"x\")</script> \\ back\\slash / https://example.com/a?b=c 🎉\u{1F}",
            spoilerText: "tab\there", sensitive: true, visibility: .unlisted, language: "en", inReplyToID: 117_667_372_218_600_000,
            inReplyToAccountID: friend.id, createdAt: Date(timeIntervalSince1970: 1_795_441_338.5))
        plain.repliesCount = 3
        plain.favouritesCount = 12
        let reply = StatusView(
            status: plain, account: author, reblog: nil, mentions: [friend], tags: ["news"], favourited: true, reblogged: false,
            announcement: nil)
        let retruth = StatusView(
            status: Status(id: 117_667_372_218_699_999, accountID: friend.id, text: "", visibility: .public, reblogOfID: plain.id, createdAt: Date()),
            account: friend, reblog: reply, mentions: [], tags: [], favourited: false, reblogged: true, announcement: nil)

        let show = Show(id: "show1", slug: "veritas-tonight", title: "Veritas \"Tonight\"", isFree: false, isPublished: true)
        let episode = Episode(
            id: "ep1", showID: show.id, season: 1, number: 2, title: "Pilot / part 1", description: "Line one\nline two", assetID: "asset1",
            isPublished: true)
        var asset = Asset(id: "asset1", sourcePath: "/x", sealedKey: Data())
        asset.duration = 3_723.4
        asset.poster = "poster.jpg"
        let bot = account("veritas_tonight", bot: true, note: "The show's #feed")
        let text = "New episode of Veritas Tonight (S1E2): Pilot"
        let announcement = StatusView(
            status: Status(id: 117_667_372_218_700_001, accountID: bot.id, text: text, visibility: .public, episodeID: episode.id, createdAt: Date()),
            account: bot, reblog: nil, mentions: [], tags: [], favourited: false, reblogged: false,
            announcement: EpisodeAnnouncement(episode: episode, show: show, asset: asset, canPlay: false, unlockingPlans: ["gold"]))
        let bare = StatusView(
            status: announcement.status, account: bot, reblog: nil, mentions: [], tags: [], favourited: false, reblogged: false,
            announcement: EpisodeAnnouncement(episode: episode, show: show, asset: nil, canPlay: true, unlockingPlans: []))
        return [reply, retruth, announcement, bare]
    }

    static func parsed(_ bytes: [UInt8]) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? NSDictionary)
    }

    @Test(arguments: 0..<4)
    func aStatusIsWrittenAsItEncodes(index: Int) throws {
        let entity = StatusEntity(Self.views()[index], baseURL: Self.baseURL)
        var json = JSONWriter()
        json.object { entity.writeMembers(to: &$0) }
        let written = try Self.parsed(json.bytes)
        let encoded = try Self.parsed(Array(try APIJSON.encoder.encode(entity)))
        #expect(written == encoded)
        #expect(written.count == encoded.count && written.count > 20)
    }

    @Test(arguments: [false, true])
    func anAccountIsWrittenAsItEncodes(withSource: Bool) throws {
        let entity = AccountEntity(Self.account("someone", lastStatus: Date(), note: "About me: @friend\n#tag"), baseURL: Self.baseURL, withSource: withSource)
        var json = JSONWriter()
        json.object { entity.writeMembers(to: &$0) }
        #expect(try Self.parsed(json.bytes) == Self.parsed(Array(try APIJSON.encoder.encode(entity))))
    }

    @Test func stringsEscapeOnlyWhatJSONRequires() throws {
        var json = JSONWriter()
        json.element { $0.string("a\"b\\c/d\n\u{0}\u{1F}é🎉") }
        #expect(String(decoding: json.bytes, as: UTF8.self) == #""a\"b\\c/d\n\u0000\u001fé🎉""#)
    }
}
