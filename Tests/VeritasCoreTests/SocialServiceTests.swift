// The feed's rules over a real SQLite store: visibility, paging, deletes, retruths, fan-out,
// idempotency and episode announcements.
import Foundation
import GRDB
import TestSupport
import Testing
@testable import VeritasCore

@Suite struct SocialServiceTests {
    let store: SQLiteStore
    let social: SocialService

    init() throws {
        store = try SQLiteStore(path: Fixtures.scratchDirectory("social").appendingPathComponent("veritas.sqlite").path)
        social = SocialService(store: store, fanOutLimit: 2)
    }

    func account(_ name: String) throws -> Account {
        let account = Account(
            id: IDGenerator.shared.next(), username: name, email: "\(name)@example.com", displayName: name, passwordHash: "x")
        try store.insert(account)
        return account
    }

    /// The account as stored now (counters change).
    func fresh(_ account: Account) throws -> Account { try #require(try store.account(id: account.id)) }

    func post(_ text: String, by author: Account, _ visibility: StatusVisibility = .public, replyTo: Int64? = nil) throws -> Status {
        try social.post(StatusDraft(text: text, visibility: visibility, inReplyToID: replyTo), by: author)
    }

    @Test func privateStatusesReachOnlyTheAuthorFollowersAndMentioned() throws {
        let (author, follower, mentioned, stranger) = (try account("author"), try account("follower"), try account("mentioned"), try account("stranger"))
        _ = try social.follow(author.id, by: follower)
        let secret = try post("for friends and @mentioned", by: author, .private)
        for viewer in [author, follower, mentioned] {
            #expect(try social.visibleStatus(secret.id, to: viewer).id == secret.id)
        }
        for viewer in [stranger, nil] {
            #expect(throws: VeritasError.notFound("Record not found")) { try social.visibleStatus(secret.id, to: viewer) }
        }
        #expect(try social.homeTimeline(for: follower, page: PageRequest()).ids == [secret.id])
        #expect(try social.publicTimeline(page: PageRequest()).ids.isEmpty)
        #expect(try social.statuses(of: author, viewer: stranger, filter: AccountStatusFilter(), page: PageRequest()).ids.isEmpty)
        #expect(try social.statuses(of: author, viewer: follower, filter: AccountStatusFilter(), page: PageRequest()).ids == [secret.id])
        #expect(throws: VeritasError(.forbidden, "This action is not allowed")) { try social.reblog(secret.id, by: follower) }
    }

    @Test func unlistedStatusesStayOffPublicAndTagTimelines() throws {
        let author = try account("quiet")
        let quiet = try post("low key #news", by: author, .unlisted)
        let loud = try post("loud #news", by: author)
        #expect(try social.publicTimeline(page: PageRequest()).ids == [loud.id])
        #expect(try social.tagTimeline("NEWS", page: PageRequest()).ids == [loud.id])
        #expect(try social.visibleStatus(quiet.id, to: nil).id == quiet.id)
    }

    @Test func pagesFollowMastodonRangeRules() throws {
        let author = try account("pager")
        let ids = try (0..<7).map { try post("post \($0)", by: author).id }  // oldest first
        let newest = Array(ids.reversed())
        #expect(try social.publicTimeline(page: PageRequest(limit: 3)).ids == Array(newest[0..<3]))
        #expect(try social.publicTimeline(page: PageRequest(maxID: newest[2], limit: 3)).ids == Array(newest[3..<6]))
        // since_id: the newest page above; min_id: the page right above, both newest first.
        #expect(try social.publicTimeline(page: PageRequest(sinceID: ids[1], limit: 2)).ids == [ids[6], ids[5]])
        #expect(try social.publicTimeline(page: PageRequest(minID: ids[1], limit: 2)).ids == [ids[3], ids[2]])
        // Empty pages at both ends.
        #expect(try social.publicTimeline(page: PageRequest(maxID: ids[0])).ids.isEmpty)
        #expect(try social.publicTimeline(page: PageRequest(minID: ids[6])).ids.isEmpty)
        #expect(try social.publicTimeline(page: PageRequest(maxID: ids[3], sinceID: ids[2])).ids.isEmpty)
        #expect(PageRequest(limit: 500).limit == 40 && PageRequest(limit: 0).limit == 1)
    }

    @Test func deletingAStatusRemovesItAndItsRetruthsEverywhere() throws {
        let (author, fan) = (try account("deleter"), try account("fan"))
        _ = try social.follow(author.id, by: fan)
        let status = try post("gone soon #tag", by: author)
        let retruth = try social.reblog(status.id, by: fan)
        #expect(try social.homeTimeline(for: fan, page: PageRequest()).ids == [retruth.id, status.id])
        #expect(throws: VeritasError(.forbidden, "This action is not allowed")) { try social.delete(status.id, by: fan) }
        _ = try social.delete(status.id, by: author)
        #expect(try social.homeTimeline(for: fan, page: PageRequest()).ids.isEmpty)
        #expect(try social.homeTimeline(for: author, page: PageRequest()).ids.isEmpty)
        #expect(try social.publicTimeline(page: PageRequest()).ids.isEmpty)
        #expect(try social.tagTimeline("tag", page: PageRequest()).ids.isEmpty)
        #expect(try store.status(id: retruth.id) == nil)
        #expect(try fresh(author).statusesCount == 0 && fresh(fan).statusesCount == 0)
    }

    @Test func aRetruthOfARetruthPointsAtTheOriginal() throws {
        let (author, first, second) = (try account("origin"), try account("first"), try account("second"))
        let original = try post("original", by: author)
        let retruth = try social.reblog(original.id, by: first)
        let again = try social.reblog(retruth.id, by: second)
        #expect(again.reblogOfID == original.id)
        #expect(try social.reblog(original.id, by: second).id == again.id)  // once per account
        #expect(try store.status(id: original.id)?.reblogsCount == 2)
        let view = try #require(try social.views([again.id], viewer: second).first)
        #expect(view.reblog?.status.id == original.id && view.reblog?.reblogged == true)
    }

    @Test func repliesCountMentionsNotifyAndContextIsOrdered() throws {
        let (author, replier) = (try account("op"), try account("replier"))
        let root = try post("root", by: author)
        let reply = try post("@op agreed", by: replier, replyTo: root.id)
        let deeper = try post("thanks", by: author, replyTo: reply.id)
        #expect(try store.status(id: root.id)?.repliesCount == 1)
        let context = try social.context(reply.id, viewer: nil)
        #expect(context.ancestors == [root.id] && context.descendants == [deeper.id])
        let notifications = try social.notifications(for: author, types: Set(NotificationKind.allCases), page: PageRequest())
        #expect(notifications.map(\.notification.type) == [.mention])
        #expect(throws: VeritasError.notFound("Record not found")) { try post("to nothing", by: author, replyTo: 42) }
    }

    @Test func widelyFollowedAccountsArePulledAtReadTime() throws {
        // fanOutLimit is 2: the third follower tips the star over to fan-out on read.
        let star = try account("star")
        let fans = try (1...3).map { try account("fan\($0)") }
        let early = try post("before", by: star)
        for fan in fans { _ = try social.follow(star.id, by: fan) }
        let late = try post("after", by: star)
        #expect(try fresh(star).fanOutOnRead)
        let homeRows = try Int.fetchHomeRows(store, statusID: late.id)
        #expect(homeRows == 1)  // only the author's own row
        for fan in fans {
            #expect(try social.homeTimeline(for: fan, page: PageRequest()).ids == [late.id, early.id])
            #expect(try social.homeTimeline(for: fan, page: PageRequest(maxID: late.id)).ids == [early.id])
            #expect(try social.homeTimeline(for: fan, page: PageRequest(minID: early.id)).ids == [late.id])
        }
        _ = try social.unfollow(star.id, by: fans[0])
        #expect(try social.homeTimeline(for: fans[0], page: PageRequest()).ids.isEmpty)
    }

    @Test func unfollowingEmptiesTheHomeOfThatAccount() throws {
        let (author, reader) = (try account("writer"), try account("reader"))
        _ = try post("old", by: author)
        _ = try social.follow(author.id, by: reader)  // backfills recent statuses
        #expect(try social.homeTimeline(for: reader, page: PageRequest()).ids.count == 1)
        #expect(try fresh(author).followersCount == 1 && fresh(reader).followingCount == 1)
        _ = try social.unfollow(author.id, by: reader)
        #expect(try social.homeTimeline(for: reader, page: PageRequest()).ids.isEmpty)
        #expect(try fresh(author).followersCount == 0)
        #expect(throws: VeritasError.self) { try social.follow(reader.id, by: reader) }
    }

    @Test func anIdempotencyKeyReturnsTheFirstStatus() throws {
        let author = try account("retry")
        let first = try social.post(StatusDraft(text: "once"), by: author, idempotencyKey: "abc")
        let second = try social.post(StatusDraft(text: "once"), by: author, idempotencyKey: "abc")
        #expect(first.id == second.id)
        #expect(try fresh(author).statusesCount == 1)
        let other = try social.post(StatusDraft(text: "once"), by: author, idempotencyKey: "def")
        #expect(other.id != first.id)
    }

    /// Posts that wait for the writer together share a transaction (`WriteBatcher`); each is
    /// in a savepoint of its own, so one that fails halfway leaves nothing behind and the others
    /// commit.
    @Test func postsCommittedTogetherSucceedAndFailOneByOne() async throws {
        let author = try account("crowd")
        let social = social
        let store = store
        // Mentions an account that does not exist: the mention row fails its foreign key after
        // the status row went in.
        let broken = Status(id: IDGenerator.shared.nextValue(), accountID: author.id, text: "broken", visibility: .public, createdAt: Date())
        let outcomes = await withTaskGroup(of: (String, Int64?).self) { group in
            for n in 0..<40 {
                group.addTask { ("post", try? await social.post(StatusDraft(text: "post \(n)"), by: author).status.id) }
            }
            for _ in 0..<2 {
                group.addTask { ("retry", try? await social.post(StatusDraft(text: "retried"), by: author, idempotencyKey: "same").status.id) }
            }
            group.addTask {
                let inserted: (status: Status, author: Account?)? = try? await store.insert(
                    broken, mentions: ["no-such-account"], tags: [], notifications: [], idempotencyKey: nil, fanOutLimit: 10)
                return ("broken", inserted?.status.id)
            }
            return await group.reduce(into: [(String, Int64?)]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0.0 == "post" }.allSatisfy { $0.1 != nil })
        #expect(Set(outcomes.filter { $0.0 == "retry" }.map(\.1)).count == 1, "both retries got the first status")
        #expect(outcomes.first { $0.0 == "broken" }?.1 == nil)
        #expect(try store.status(id: broken.id) == nil, "the failed post's status row was rolled back")
        #expect(try fresh(author).statusesCount == 41)
        #expect(try social.publicTimeline(page: PageRequest(limit: 40)).ids.count == 40)
    }

    /// A post through the API is shown from what was written; it must match what reading it
    /// back shows.
    @Test func aPostIsShownAsItReadsBack() async throws {
        let (author, friend) = (try account("shown"), try account("friend"))
        let earlier = try post("earlier", by: friend)
        let shown = try await social.post(
            StatusDraft(text: "hello @friend #one", visibility: .unlisted, inReplyToID: earlier.id, spoilerText: "cw", sensitive: true, language: "en"),
            by: author)
        let stored = try #require(try social.views([shown.status.id], viewer: author).first)
        #expect(shown.status == stored.status)
        #expect(shown.account == stored.account)
        #expect(shown.mentions.map(\.id) == [friend.id] && stored.mentions.map(\.id) == [friend.id])
        #expect(shown.tags == ["one"] && stored.tags == ["one"])
        #expect(!shown.favourited && !shown.reblogged && shown.reblog == nil)
        let retried = try await social.post(StatusDraft(text: "hello @friend #one"), by: author, idempotencyKey: "k")
        let again = try await social.post(StatusDraft(text: "hello @friend #one"), by: author, idempotencyKey: "k")
        #expect(again.status == retried.status)
    }

    @Test func blankAndOverLongStatusesAreRefused() throws {
        let author = try account("wordy")
        #expect(throws: VeritasError.invalid("Validation failed: Text can't be blank")) { try post("  \n ", by: author) }
        #expect(throws: VeritasError.invalid("Validation failed: Text character limit of 500 exceeded")) {
            try post(String(repeating: "a", count: 501), by: author)
        }
        #expect(try post(String(repeating: "a", count: 500), by: author).text.count == 500)
    }

    @Test func publishingAnEpisodeAnnouncesItOnceAndGatesIt() throws {
        let catalog = CatalogService(store: store)
        try store.insert(Plan(id: "gold", name: "Gold", priceMinor: 999, currency: "USD", period: .month))
        let show = try catalog.addShow(slug: "late-show", title: "Late Show", kind: .series, isFree: false, planIDs: ["gold"])
        var asset = Asset(id: IDGenerator.shared.next(), sourcePath: "/x.mp4", sealedKey: Data([1]))
        asset.status = .ready
        let episode = Episode(id: IDGenerator.shared.next(), showID: show.id, season: 1, number: 2, title: "Pilot", assetID: asset.id)
        try store.insert(episode, asset: asset)
        let viewer = try account("viewer")

        try catalog.publishEpisode(episode.id)  // the show is not published yet: no announcement
        #expect(try store.announcement(episodeID: episode.id) == nil)
        try catalog.publishShow(show.id)
        try catalog.unpublishEpisode(episode.id)
        try catalog.publishEpisode(episode.id)
        try catalog.publishEpisode(episode.id)
        let announcement = try #require(try store.announcement(episodeID: episode.id))
        let feedAccount = try #require(try store.account(id: announcement.accountID))
        #expect(feedAccount.isBot && feedAccount.username == "late_show" && feedAccount.displayName == "Late Show")
        #expect(announcement.text == "New episode of Late Show (S1E2): Pilot")
        #expect(try social.publicTimeline(page: PageRequest()).ids == [announcement.id])
        let view = try #require(try social.views([announcement.id], viewer: viewer).first)
        #expect(view.announcement?.canPlay == false && view.announcement?.unlockingPlans == ["gold"])
        // The feed account cannot sign in.
        #expect(throws: VeritasError.self) {
            try AccountService(store: store, bcryptCost: 4).authenticate(login: "late_show", password: Account.noPassword)
        }
        try catalog.unpublishEpisode(episode.id)
        #expect(try store.announcement(episodeID: episode.id) == nil)
        #expect(try social.publicTimeline(page: PageRequest()).ids.isEmpty)
    }

    @Test func statusesOfSuspendedAccountsDisappear() throws {
        let (troll, reader) = (try account("troll"), try account("reader2"))
        _ = try social.follow(troll.id, by: reader)
        let status = try post("spam", by: troll)
        let retruth = try social.reblog(status.id, by: reader)
        try store.setSuspended(accountID: troll.id, true)
        #expect(throws: VeritasError.notFound("Record not found")) { try social.visibleStatus(status.id, to: reader) }
        let home = try social.homeTimeline(for: reader, page: PageRequest())
        #expect(home.ids.contains(retruth.id))
        #expect(home.views.isEmpty, "neither the status nor its retruth is shown")
        #expect(try social.views(home.ids, viewer: reader).isEmpty)
    }
}

extension Int {
    /// How many home feed rows hold `statusID`.
    static func fetchHomeRows(_ store: SQLiteStore, statusID: Int64) throws -> Int {
        try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM homeFeed WHERE statusID = ?", arguments: [statusID]) ?? 0 }
    }
}
