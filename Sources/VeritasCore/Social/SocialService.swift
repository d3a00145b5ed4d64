// The social feed's rules: who may see, post, retruth and follow what, and episode announcements.
import Foundation

/// What a client sends to post a status.
public struct StatusDraft: Sendable {
    public var text: String
    public var visibility: StatusVisibility
    public var inReplyToID: Int64?
    public var spoilerText: String
    public var sensitive: Bool
    public var language: String?

    public init(
        text: String, visibility: StatusVisibility = .public, inReplyToID: Int64? = nil, spoilerText: String = "",
        sensitive: Bool = false, language: String? = nil
    ) {
        self.text = text
        self.visibility = visibility
        self.inReplyToID = inReplyToID
        self.spoilerText = spoilerText
        self.sensitive = sensitive
        self.language = language
    }
}

/// A page of a timeline: the ids it holds (which set the paging links) and what the viewer sees
/// of them (statuses of suspended accounts drop out).
public struct StatusPage: Sendable {
    public let ids: [Int64]
    public let views: [StatusView]
}

/// Posting, reading and following, shared by the API and the CLI (announcements).
public struct SocialService: Sendable {
    let store: any VeritasStore
    let clock: WallClock
    /// Followers above which an account's statuses are pulled into home timelines at read
    /// time instead of copied at write time (see `SocialStore`).
    let fanOutLimit: Int
    /// Limits posting and following per account (SPEC §13).
    let limiter: any RateLimiter

    /// How many recent statuses of a newly followed account appear in the follower's home.
    static let followBackfill = 40
    /// A thread's context shows at most this many replies below a status (SPEC §13).
    public static let maxDescendants = 200

    public init(
        store: any VeritasStore, clock: WallClock = .system, fanOutLimit: Int = 10_000,
        limiter: any RateLimiter = MemoryRateLimiter()
    ) {
        self.store = store
        self.clock = clock
        self.fanOutLimit = fanOutLimit
        self.limiter = limiter
    }

    // MARK: Statuses

    /// Posts a status; `idempotencyKey` makes a retried request return the first status.
    @discardableResult
    public func post(_ draft: StatusDraft, by author: Account, idempotencyKey: String? = nil) throws -> Status {
        let post = try prepare(draft, by: author)
        return try store.insert(
            post.status, mentions: post.mentions.map(\.id), tags: post.tags, notifications: post.notifications, idempotencyKey: idempotencyKey,
            fanOutLimit: fanOutLimit)
    }

    /// The same, committed together with the other posts waiting for the database, and shown
    /// as the author sees it: from what was written, without reading it back (a retry with a
    /// used idempotency key shows the first status as it is now).
    public func post(_ draft: StatusDraft, by author: Account, idempotencyKey: String? = nil) async throws -> StatusView {
        let post = try prepare(draft, by: author)
        let (stored, account) = try await store.insert(
            post.status, mentions: post.mentions.map(\.id), tags: post.tags, notifications: post.notifications,
            idempotencyKey: idempotencyKey, fanOutLimit: fanOutLimit)
        guard stored.id == post.status.id, let account else {
            guard let first = try views([stored.id], viewer: author).first else { throw VeritasError.notFound("Record not found") }
            return first
        }
        return StatusView(
            status: stored, account: account, reblog: nil, mentions: post.mentions, tags: post.tags, favourited: false, reblogged: false,
            announcement: nil)
    }

    /// A draft checked and made into the rows a post writes.
    private func prepare(_ draft: StatusDraft, by author: Account) throws -> (
        status: Status, mentions: [Account], tags: [String], notifications: [SocialNotification]
    ) {
        // Raw sizes first: the 500-character count treats a link as 23 characters whatever its
        // length, so without these a post could carry a megabyte into every page that shows it.
        guard draft.text.unicodeScalars.count <= StatusText.maxRawLength else {
            throw VeritasError.invalid("Validation failed: Text is longer than \(StatusText.maxRawLength) characters")
        }
        guard draft.spoilerText.unicodeScalars.count <= StatusText.maxLength else {
            throw VeritasError.invalid("Validation failed: Spoiler text is longer than \(StatusText.maxLength) characters")
        }
        if let language = draft.language, !StatusText.isLanguageTag(language) {
            throw VeritasError.invalid("Validation failed: Language must be a language tag such as en or pt-BR")
        }
        let parsed = StatusText(draft.text)
        guard !draft.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw VeritasError.invalid("Validation failed: Text can't be blank")
        }
        guard parsed.length + draft.spoilerText.count <= StatusText.maxLength else {
            throw VeritasError.invalid("Validation failed: Text character limit of \(StatusText.maxLength) exceeded")
        }
        var parent: Status?
        if let replyID = draft.inReplyToID {
            parent = try visibleOriginal(replyID, to: author)
        }
        let now = clock.now
        // Only posts that would be stored count.
        try limiter.enforce(.statuses, key: author.id, now: now)
        let id = IDGenerator.shared.nextValue(now: now)
        let mentioned = try parsed.mentionedUsernames.compactMap { try store.account(login: $0) }.filter { !$0.isSuspended }
        let notifications = mentioned.filter { $0.id != author.id }.map {
            SocialNotification(
                id: IDGenerator.shared.nextValue(now: now), accountID: $0.id, fromAccountID: author.id, type: .mention, statusID: id,
                createdAt: now)
        }
        let status = Status(
            id: id, accountID: author.id, text: draft.text, spoilerText: draft.spoilerText, sensitive: draft.sensitive,
            visibility: draft.visibility, language: draft.language, inReplyToID: parent?.id, inReplyToAccountID: parent?.accountID,
            createdAt: now)
        return (status, mentioned, parsed.hashtags, notifications)
    }

    /// The status if `viewer` may see it, else `notFound` (as if it did not exist). Statuses of
    /// suspended accounts are gone for everyone.
    public func visibleStatus(_ id: Int64, to viewer: Account?) throws -> Status {
        guard let status = try store.status(id: id), try canSee(status, viewer: viewer),
            try store.account(id: status.accountID)?.isSuspended == false
        else {
            throw VeritasError.notFound("Record not found")
        }
        return status
    }

    /// The visible status `id`, or the original when it is a retruth (what replies, retruths
    /// and likes act on).
    private func visibleOriginal(_ id: Int64, to viewer: Account) throws -> Status {
        let status = try visibleStatus(id, to: viewer)
        return try status.reblogOfID.map { try visibleStatus($0, to: viewer) } ?? status
    }

    /// SPEC §7 visibility for one status: public and unlisted for everyone; private for the
    /// author, its followers and the accounts it mentions. (Timeline queries apply the same rule
    /// in SQL.)
    public func canSee(_ status: Status, viewer: Account?) throws -> Bool {
        switch status.visibility {
        case .public, .unlisted:
            return true
        case .private:
            guard let viewer else { return false }
            if viewer.id == status.accountID || viewer.isAdmin { return true }
            if try store.relationships(of: viewer.id, with: [status.accountID]).following.contains(status.accountID) { return true }
            return try store.isMentioned(accountID: viewer.id, in: status.id)
        }
    }

    /// Deletes the caller's own status; returns it as it was.
    public func delete(_ id: Int64, by account: Account) throws -> StatusView {
        let status = try visibleStatus(id, to: account)
        guard status.accountID == account.id else { throw VeritasError(.forbidden, "This action is not allowed") }
        let view = try views([status.id], viewer: account)
        try store.deleteStatus(id: status.id)
        guard let first = view.first else { throw VeritasError.notFound("Record not found") }
        return first
    }

    /// Retruths a status (the original when given a retruth); returns the retruth.
    public func reblog(_ id: Int64, by account: Account, visibility: StatusVisibility = .public) throws -> Status {
        let original = try visibleOriginal(id, to: account)
        guard original.visibility != .private else { throw VeritasError(.forbidden, "This action is not allowed") }
        if let existing = try store.reblog(of: original.id, by: account.id) { return existing }
        let now = clock.now
        let reblog = Status(
            id: IDGenerator.shared.nextValue(now: now), accountID: account.id, text: "", visibility: visibility,
            reblogOfID: original.id, createdAt: now)
        let notification =
            original.accountID == account.id
            ? []
            : [
                SocialNotification(
                    id: IDGenerator.shared.nextValue(now: now), accountID: original.accountID, fromAccountID: account.id, type: .reblog,
                    statusID: original.id, createdAt: now)
            ]
        return try store.insert(reblog, mentions: [], tags: [], notifications: notification, idempotencyKey: nil, fanOutLimit: fanOutLimit)
    }

    /// Undoes the caller's retruth; returns the original.
    public func unreblog(_ id: Int64, by account: Account) throws -> Status {
        let original = try visibleOriginal(id, to: account)
        if let reblog = try store.reblog(of: original.id, by: account.id) { try store.deleteStatus(id: reblog.id) }
        return try visibleStatus(original.id, to: account)
    }

    public func favourite(_ id: Int64, by account: Account) throws -> Status {
        let status = try visibleOriginal(id, to: account)
        let now = clock.now
        let notification =
            status.accountID == account.id
            ? nil
            : SocialNotification(
                id: IDGenerator.shared.nextValue(now: now), accountID: status.accountID, fromAccountID: account.id, type: .favourite,
                statusID: status.id, createdAt: now)
        _ = try store.insertFavourite(accountID: account.id, statusID: status.id, notification: notification)
        return try visibleStatus(status.id, to: account)
    }

    public func unfavourite(_ id: Int64, by account: Account) throws -> Status {
        let status = try visibleOriginal(id, to: account)
        try store.deleteFavourite(accountID: account.id, statusID: status.id)
        return try visibleStatus(status.id, to: account)
    }

    /// The visible statuses above (oldest first) and below a status.
    public func context(_ id: Int64, viewer: Account?) throws -> (ancestors: [Int64], descendants: [Int64]) {
        let status = try visibleStatus(id, to: viewer)
        var ancestors: [Int64] = []
        var parentID = status.inReplyToID
        while let id = parentID, ancestors.count < 40, let parent = try store.status(id: id) {
            if try canSee(parent, viewer: viewer) { ancestors.insert(parent.id, at: 0) }
            parentID = parent.inReplyToID
        }
        let below = try store.replyTree(below: status.id, limit: Self.maxDescendants)
        let visible = try store.bundle(statusIDs: below, viewerID: viewer?.id).statuses
        let descendants = try below.filter { id in try visible[id].map { try canSee($0, viewer: viewer) } ?? false }
        return (ancestors, descendants)
    }

    // MARK: Timelines

    public func homeTimeline(for account: Account, page: PageRequest) throws -> StatusPage {
        try statusPage(.home(accountID: account.id), page: page, viewer: account)
    }

    public func publicTimeline(page: PageRequest, viewer: Account? = nil) throws -> StatusPage {
        try statusPage(.public, page: page, viewer: viewer)
    }

    public func tagTimeline(_ tag: String, page: PageRequest, viewer: Account? = nil) throws -> StatusPage {
        try statusPage(.tag(tag.lowercased()), page: page, viewer: viewer)
    }

    /// An account's statuses as `viewer` may see them: private ones only for itself and followers.
    public func statuses(of author: Account, viewer: Account?, filter: AccountStatusFilter, page: PageRequest) throws -> StatusPage {
        var filter = filter
        if let viewer {
            let follows = try store.relationships(of: viewer.id, with: [author.id]).following.contains(author.id)
            filter.includePrivate = viewer.id == author.id || viewer.isAdmin || follows
        } else {
            filter.includePrivate = false
        }
        return try statusPage(.account(author.id, filter), page: page, viewer: viewer)
    }

    private func statusPage(_ timeline: Timeline, page: PageRequest, viewer: Account?) throws -> StatusPage {
        let (ids, bundle) = try store.timelinePage(timeline, page: page, viewerID: viewer?.id)
        return StatusPage(ids: ids, views: try views(ids, bundle: bundle, viewer: viewer))
    }

    /// The statuses with ids `ids`, in that order, as `viewer` sees them.
    public func views(_ ids: [Int64], viewer: Account?) throws -> [StatusView] {
        try views(ids, bundle: store.bundle(statusIDs: ids, viewerID: viewer?.id), viewer: viewer)
    }

    private func views(_ ids: [Int64], bundle: StatusBundle, viewer: Account?) throws -> [StatusView] {
        var access: [String: (Bool, [String])] = [:]
        func announcement(_ status: Status) throws -> EpisodeAnnouncement? {
            guard let episodeID = status.episodeID, let episode = bundle.episodes[episodeID], let show = bundle.shows[episode.showID]
            else { return nil }
            if access[show.id] == nil {
                let plans = try store.unlockingPlans(showID: show.id).sorted()
                let canPlay = try viewer.map { try BillingService(store: store, clock: clock).canPlay(account: $0, show: show) } ?? show.isFree
                access[show.id] = (canPlay, plans)
            }
            let (canPlay, plans) = access[show.id] ?? (false, [])
            return EpisodeAnnouncement(
                episode: episode, show: show, asset: bundle.assets[episode.assetID], canPlay: canPlay, unlockingPlans: plans)
        }
        func view(_ id: Int64) throws -> StatusView? {
            guard let status = bundle.statuses[id], let account = bundle.accounts[status.accountID], !account.isSuspended else { return nil }
            let reblog = try status.reblogOfID.flatMap { try view($0) }
            if status.reblogOfID != nil, reblog == nil { return nil }
            return StatusView(
                status: status, account: account, reblog: reblog,
                mentions: (bundle.mentions[id] ?? []).compactMap { bundle.accounts[$0] }, tags: bundle.tags[id] ?? [],
                favourited: bundle.favourited.contains(id), reblogged: bundle.reblogged.contains(id),
                announcement: try announcement(status))
        }
        return try ids.compactMap(view)
    }

    // MARK: Follows

    @discardableResult
    public func follow(_ targetID: String, by account: Account) throws -> Relationship {
        let target = try existingAccount(targetID)
        guard target.id != account.id else { throw VeritasError.invalid("Validation failed: You cannot follow yourself") }
        let now = clock.now
        let follow = Follow(id: IDGenerator.shared.nextValue(now: now), followerID: account.id, followedID: target.id, createdAt: now)
        let notification = SocialNotification(
            id: IDGenerator.shared.nextValue(now: now), accountID: target.id, fromAccountID: account.id, type: .follow, statusID: nil,
            createdAt: now)
        try limiter.enforce(.follows, key: account.id, now: now)
        _ = try store.insert(follow, notification: notification, backfill: Self.followBackfill)
        return try relationships(of: account, with: [target.id])[0]
    }

    public func unfollow(_ targetID: String, by account: Account) throws -> Relationship {
        let target = try existingAccount(targetID)
        try store.deleteFollow(followerID: account.id, followedID: target.id)
        return try relationships(of: account, with: [target.id])[0]
    }

    /// One relationship per account of `ids` that exists, each once, in the order asked (as
    /// Mastodon answers): an id naming no account has no relationship.
    public func relationships(of account: Account, with ids: [String]) throws -> [Relationship] {
        var seen = Set<String>()
        let wanted = ids.filter { IDGenerator.isWellFormed($0) && seen.insert($0).inserted }
        let existing = Set(try store.accounts(ids: wanted).map(\.id))
        let known = wanted.filter(existing.contains)
        let (following, followedBy) = try store.relationships(of: account.id, with: known)
        return known.map { Relationship(accountID: $0, following: following.contains($0), followedBy: followedBy.contains($0)) }
    }

    /// The accounts that favourited (`.favourite`) or retruthed (`.reblog`) a status the viewer
    /// may see, newest first, with the ids the page is keyed by.
    public func actors(
        _ kind: NotificationKind, on id: Int64, viewer: Account?, page: PageRequest
    ) throws -> [(id: Int64, account: Account)] {
        let status = try visibleStatus(id, to: viewer)
        let rows = kind == .favourite ? try store.favourites(of: status.id, page: page) : try store.reblogs(of: status.id, page: page)
        let accounts = Dictionary(
            try store.accounts(ids: rows.map(\.accountID)).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return rows.compactMap { row in accounts[row.accountID].flatMap { $0.isSuspended ? nil : (row.id, $0) } }
    }

    /// An account that is not suspended, by id, or `notFound`.
    public func existingAccount(_ id: String) throws -> Account {
        guard let account = try store.account(id: id), try isVisible(account) else { throw VeritasError.notFound("Record not found") }
        return account
    }

    /// Whether others may see the account at all: not suspended, and not the feed account of
    /// a show that is not published yet (its name and title would give the show away).
    public func isVisible(_ account: Account) throws -> Bool {
        guard !account.isSuspended else { return false }
        guard account.isBot else { return true }
        return try store.shows().first { $0.accountID == account.id }?.isPublished ?? true
    }

    // MARK: Notifications

    public func notifications(for account: Account, types: Set<NotificationKind>, page: PageRequest) throws -> [NotificationView] {
        let rows = try store.notifications(accountID: account.id, types: types, page: page)
        let statuses = try views(rows.compactMap(\.statusID), viewer: account)
        let byID = Dictionary(statuses.map { ($0.status.id, $0) }, uniquingKeysWith: { first, _ in first })
        let accounts = Dictionary(
            try store.accounts(ids: Array(Set(rows.map(\.fromAccountID)))).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return rows.compactMap { row in
            guard let from = accounts[row.fromAccountID] else { return nil }
            let status = row.statusID.flatMap { byID[$0] }
            if row.statusID != nil, status == nil { return nil }
            return NotificationView(notification: row, account: from, status: status)
        }
    }

    // MARK: Episode announcements

    /// The account that speaks for a show in the feed, created on first use.
    public func feedAccount(for show: Show) throws -> Account {
        if let id = show.accountID, let account = try store.account(id: id) { return account }
        let base = String(show.slug.replacingOccurrences(of: "-", with: "_").prefix(30))
        var username = base
        var attempt = 1
        while try store.account(login: username) != nil {
            attempt += 1
            let suffix = "_\(attempt)"
            username = String(base.prefix(30 - suffix.count)) + suffix
        }
        let account = Account(
            id: IDGenerator.shared.next(now: clock.now), username: username, email: "show-\(show.id)@feeds.invalid",
            displayName: show.title, passwordHash: Account.noPassword, isBot: true, createdAt: clock.now)
        try store.insert(account)
        try store.setShowAccount(showID: show.id, accountID: account.id)
        return account
    }

    /// Has the show's account announce a published episode (once; nothing while the show itself
    /// is unpublished, so the post never reveals what viewers cannot see).
    @discardableResult
    public func announce(_ episode: Episode) throws -> Status? {
        guard let show = try store.show(episode.showID), show.isPublished, episode.isPublished else { return nil }
        if let existing = try store.announcement(episodeID: episode.id) { return existing }
        let account = try feedAccount(for: show)
        var heading = "New episode of \(show.title)"
        if let number = episode.number { heading += episode.season.map { " (S\($0)E\(number))" } ?? " (#\(number))" }
        var text = "\(heading): \(episode.title)"
        let description = episode.description.trimmingCharacters(in: .whitespacesAndNewlines)
        let room = StatusText.maxLength - StatusText(text).length - 2
        if !description.isEmpty, room > 20 {
            text += "\n\n" + (description.count <= room ? description : String(description.prefix(room - 1)) + "…")
        }
        let now = clock.now
        let status = Status(
            id: IDGenerator.shared.nextValue(now: now), accountID: account.id, text: text, visibility: .public, episodeID: episode.id,
            createdAt: now)
        return try store.insert(
            status, mentions: [], tags: StatusText(text).hashtags, notifications: [], idempotencyKey: nil, fanOutLimit: fanOutLimit)
    }

    /// Removes an episode's announcement (when the episode is unpublished).
    public func withdrawAnnouncement(episodeID: String) throws {
        if let status = try store.announcement(episodeID: episodeID) { try store.deleteStatus(id: status.id) }
    }
}
