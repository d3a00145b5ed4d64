// Truths: post, read, delete, thread context, retruth and like (Mastodon's /api/v1/statuses).
import Foundation
import Hummingbird
import VeritasCore

struct StatusesController: Sendable {
    let installation: Installation
    let renderer: StatusRenderer
    var social: SocialService { installation.social }

    func register(on router: Router<VeritasRequestContext>) {
        let reads = router.scoped("read:statuses"), writes = router.scoped("write:statuses")
        writes.post("/api/v1/statuses", use: create)
        reads.get("/api/v1/statuses/:id", use: show)
        writes.delete("/api/v1/statuses/:id", use: delete)
        reads.get("/api/v1/statuses/:id/context", use: context)
        writes.post("/api/v1/statuses/:id/reblog", use: reblog)
        writes.post("/api/v1/statuses/:id/unreblog", use: unreblog)
        let favourites = router.scoped("write:favourites")
        favourites.post("/api/v1/statuses/:id/favourite", use: favourite)
        favourites.post("/api/v1/statuses/:id/unfavourite", use: unfavourite)
        let accounts = router.scoped("read:accounts")
        accounts.get("/api/v1/statuses/:id/favourited_by", use: favouritedBy)
        accounts.get("/api/v1/statuses/:id/reblogged_by", use: rebloggedBy)
    }

    /// `POST /api/v1/statuses` parameters, from a form or JSON, in whatever types clients send.
    struct NewStatus: Decodable {
        var status: String?
        var inReplyToID: String?
        var visibility: String?
        var spoilerText: String?
        var sensitive: Bool
        var language: String?
        var mediaIDs: [String]

        enum CodingKeys: String, CodingKey {
            case status, visibility, language, sensitive
            case inReplyToID = "in_reply_to_id"
            case spoilerText = "spoiler_text"
            case mediaIDs = "media_ids"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            status = try container.lenientString(.status)
            inReplyToID = try container.lenientString(.inReplyToID)
            visibility = try container.lenientString(.visibility)
            spoilerText = try container.lenientString(.spoilerText)
            language = try container.lenientString(.language)
            sensitive = ["1", "true"].contains(try container.lenientString(.sensitive)?.lowercased() ?? "")
            // Forms send `media_ids[]=…`, which the form decoder reads as the array `media_ids`.
            mediaIDs = ((try? container.decodeIfPresent([String].self, forKey: .mediaIDs)) ?? nil) ?? []
        }
    }

    @Sendable func create(request: Request, context: VeritasRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try await request.decode(as: NewStatus.self, context: context)
        guard form.mediaIDs.isEmpty else { throw APIError(.unprocessableContent, "Validation failed: media uploads are not supported") }
        var visibility = StatusVisibility.public
        if let name = form.visibility, !name.isEmpty {
            guard let value = StatusVisibility(rawValue: name) else {
                throw APIError(.unprocessableContent, "Validation failed: visibility must be public, unlisted or private")
            }
            visibility = value
        }
        var replyID: Int64?
        if let text = form.inReplyToID, !text.isEmpty {
            guard let id = RequestNumber.id(text) else { throw APIError(.notFound, "Record not found") }
            replyID = id
        }
        let draft = StatusDraft(
            text: form.status ?? "", visibility: visibility, inReplyToID: replyID, spoilerText: form.spoilerText ?? "",
            sensitive: form.sensitive, language: form.language?.isEmpty == false ? form.language : nil)
        let key = request.headers[.init("Idempotency-Key")!].flatMap { $0.isEmpty ? nil : String($0.prefix(256)) }
        return .json(try renderer.json(try await social.post(draft, by: account, idempotencyKey: key)))
    }

    @Sendable func show(request: Request, context: VeritasRequestContext) async throws -> Response {
        let status = try social.visibleStatus(try context.numericID(), to: context.account)
        return try entity(status.id, context)
    }

    @Sendable func delete(request: Request, context: VeritasRequestContext) async throws -> Response {
        let view = try social.delete(try context.numericID(), by: try context.requireAccount())
        return .json(try renderer.json(view, source: true))
    }

    @Sendable func context(request: Request, context: VeritasRequestContext) async throws -> Response {
        let (ancestors, descendants) = try social.context(try context.numericID(), viewer: context.account)
        let views = try social.views(ancestors + descendants, viewer: context.account)
        let above = Array(views.prefix { ancestors.contains($0.status.id) }), below = Array(views.dropFirst(above.count))
        return .json(Array(#"{"ancestors":"#.utf8) + (try renderer.json(above)) + Array(#","descendants":"#.utf8) + (try renderer.json(below)) + [UInt8(ascii: "}")])
    }

    struct ReblogForm: Decodable {
        var visibility: String?
        enum CodingKeys: String, CodingKey { case visibility }
    }

    @Sendable func reblog(request: Request, context: VeritasRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try? await request.decode(as: ReblogForm.self, context: context)
        let visibility = form?.visibility.flatMap(StatusVisibility.init(rawValue:)) ?? .public
        let reblog = try social.reblog(try context.numericID(), by: account, visibility: visibility)
        return try entity(reblog.id, context)
    }

    @Sendable func unreblog(request: Request, context: VeritasRequestContext) async throws -> Response {
        try entity(social.unreblog(try context.numericID(), by: try context.requireAccount()).id, context)
    }

    @Sendable func favourite(request: Request, context: VeritasRequestContext) async throws -> Response {
        try entity(social.favourite(try context.numericID(), by: try context.requireAccount()).id, context)
    }

    @Sendable func unfavourite(request: Request, context: VeritasRequestContext) async throws -> Response {
        try entity(social.unfavourite(try context.numericID(), by: try context.requireAccount()).id, context)
    }

    @Sendable func favouritedBy(request: Request, context: VeritasRequestContext) async throws -> Response {
        try actors(.favourite, request, context)
    }

    @Sendable func rebloggedBy(request: Request, context: VeritasRequestContext) async throws -> Response {
        try actors(.reblog, request, context)
    }

    /// Mastodon's `favourited_by` / `reblogged_by`: accounts, paged by the favourite's or the
    /// retruth's id.
    private func actors(_ kind: NotificationKind, _ request: Request, _ context: VeritasRequestContext) throws -> Response {
        let rows = try social.actors(kind, on: try context.numericID(), viewer: context.account, page: try Pagination.page(request))
        let baseURL = renderer.publicURL.string
        return try Pagination.response(
            rows.map { AccountEntity($0.account, baseURL: baseURL) }, firstID: rows.first?.id, lastID: rows.last?.id, request: request,
            baseURL: baseURL)
    }

    private func entity(_ id: Int64, _ context: VeritasRequestContext) throws -> Response {
        guard let view = try social.views([id], viewer: context.account).first else { throw APIError(.notFound, "Record not found") }
        return .json(try renderer.json(view))
    }
}

extension KeyedDecodingContainer {
    /// A value sent as a string, number or boolean (forms send strings, JSON clients the type),
    /// as a string.
    func lenientString(_ key: Key) throws -> String? {
        if let text = try? decodeIfPresent(String.self, forKey: key) { return text }
        if let number = try? decodeIfPresent(Int64.self, forKey: key) { return String(number) }
        if let flag = try? decodeIfPresent(Bool.self, forKey: key) { return String(flag) }
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        throw DecodingError.typeMismatch(
            String.self, .init(codingPath: codingPath + [key], debugDescription: "\(key.stringValue) must be a string"))
    }
}
