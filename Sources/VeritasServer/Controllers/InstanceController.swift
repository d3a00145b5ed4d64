// GET /api/v1/instance and /api/v2/instance: what clients read before anything else.
import Foundation
import Hummingbird
import Synchronization
import VeritasCore

struct InstanceController: Sendable {
    let installation: Installation
    let publicURL: PublicBaseURL
    /// Counting a million statuses takes tens of milliseconds, and every client asks for the
    /// instance first: the counts are taken at most once a minute (as Mastodon caches them).
    let counts = RecentValue<(accounts: Int, statuses: Int)>(lifetime: 60)
    var baseURL: String { publicURL.string }
    /// Mastodon API level clients should assume, then Veritas's own version.
    static let version = "4.2.0 (compatible; Veritas 0.1)"

    func register(on router: Router<VeritasRequestContext>) {
        router.get("/api/v1/instance", use: v1)
        router.get("/api/v2/instance", use: v2)
    }

    var domain: String { URL(string: baseURL)?.host ?? "localhost" }

    struct Statuses: Encodable {
        let maxCharacters = 500
        let maxMediaAttachments = 4
        let charactersReservedPerUrl = 23
    }

    struct V1: ResponseEncodable {
        struct URLs: Encodable { let streamingApi: String }
        struct Stats: Encodable { let userCount, statusCount, domainCount: Int }
        struct Configuration: Encodable { let statuses = Statuses() }
        let uri, title, shortDescription, description, email, version: String
        let urls: URLs
        let stats: Stats
        let thumbnail: String?
        let languages = ["en"]
        let registrations = true
        let approvalRequired = false
        let invitesEnabled = false
        let configuration = Configuration()
        let contactAccount: String? = nil
        let rules: [String] = []
    }

    struct V2: ResponseEncodable {
        struct Usage: Encodable {
            struct Users: Encodable { let activeMonth: Int }
            let users: Users
        }
        struct Thumbnail: Encodable { let url: String }
        struct Configuration: Encodable {
            struct URLs: Encodable { let streaming: String }
            let urls: URLs
            let statuses = Statuses()
        }
        struct Registrations: Encodable {
            let enabled = true
            let approvalRequired = false
            let message: String? = nil
        }
        struct Contact: Encodable {
            let email: String
            let account: String? = nil
        }
        let domain, title, version, sourceUrl, description: String
        let usage: Usage
        let thumbnail: Thumbnail
        let languages = ["en"]
        let configuration: Configuration
        let registrations = Registrations()
        let contact: Contact
        let rules: [String] = []
    }

    static let summary = "Shows, news and podcasts for subscribers, and a feed to talk about them."

    private func recentCounts() throws -> (accounts: Int, statuses: Int) {
        try counts.get(now: installation.clock.now) { try installation.store.instanceCounts() }
    }

    @Sendable func v1(request: Request, context: VeritasRequestContext) async throws -> V1 {
        let counts = try recentCounts()
        return V1(
            uri: domain, title: "Veritas", shortDescription: Self.summary, description: Self.summary, email: "admin@\(domain)",
            version: Self.version, urls: .init(streamingApi: baseURL.replacingOccurrences(of: "http", with: "ws")),
            stats: .init(userCount: counts.accounts, statusCount: counts.statuses, domainCount: 0), thumbnail: nil)
    }

    @Sendable func v2(request: Request, context: VeritasRequestContext) async throws -> V2 {
        V2(
            domain: domain, title: "Veritas", version: Self.version, sourceUrl: "\(baseURL)/", description: Self.summary,
            usage: .init(users: .init(activeMonth: try recentCounts().accounts)),
            thumbnail: .init(url: "\(baseURL)/static/thumbnail.png"),
            configuration: .init(urls: .init(streaming: baseURL.replacingOccurrences(of: "http", with: "ws"))),
            contact: .init(email: "admin@\(domain)"))
    }
}

/// A value computed at most once per `lifetime` seconds.
final class RecentValue<Value: Sendable>: Sendable {
    private let lifetime: TimeInterval
    private let latest = Mutex<(value: Value, expires: Date)?>(nil)

    init(lifetime: TimeInterval) {
        self.lifetime = lifetime
    }

    func get(now: Date, compute: () throws -> Value) throws -> Value {
        if let latest = latest.withLock({ $0 }), latest.expires > now { return latest.value }
        let value = try compute()
        latest.withLock { $0 = (value, now.addingTimeInterval(lifetime)) }
        return value
    }
}
