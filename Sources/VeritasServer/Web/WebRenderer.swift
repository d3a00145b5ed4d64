// Renders the web UI's pages from the mustache templates bundled with the server.
import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import VeritasCore

/// The templates of `Web/Templates` (loaded once at startup) and the page frame every page
/// shares: title, the signed-in account and its CSRF token for the header's sign-out form.
struct WebRenderer: Sendable {
    let library: MustacheLibrary
    /// The stylesheet, served from memory.
    let stylesheet: ByteBuffer
    /// The player's progressive-enhancement script, served from memory.
    let playerScript: ByteBuffer

    /// Loads every `*.mustache` of the bundled templates folder; a template that does not parse
    /// stops the server at startup rather than on the first request for it.
    init() throws {
        guard let resources = Bundle.module.resourceURL else { throw VeritasError(.storage, "the server's resources are missing") }
        let templates = resources.appendingPathComponent("Templates")
        let assets = resources.appendingPathComponent("Assets")
        var parsed: [String: MustacheTemplate] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: templates.path) where name.hasSuffix(".mustache") {
            let text = try String(contentsOf: templates.appendingPathComponent(name), encoding: .utf8)
            parsed[String(name.dropLast(".mustache".count))] = try MustacheTemplate(string: text)
        }
        library = MustacheLibrary(templates: parsed)
        stylesheet = ByteBuffer(bytes: try Data(contentsOf: assets.appendingPathComponent("veritas.css")))
        playerScript = ByteBuffer(bytes: try Data(contentsOf: assets.appendingPathComponent("player.js")))
    }

    /// The frame around a page's own data (`page`), which templates reach inside `{{#page}}`.
    struct Frame<Page>: Sendable where Page: Sendable {
        let title: String
        let viewer: Viewer?
        let csrf: String
        let page: Page
        /// Which navigation item is current (`catalog`, `feed`, `account`, `login`).
        let section: Section
    }

    /// The signed-in account as the header shows it.
    struct Viewer: Sendable {
        let username: String
        let displayName: String
        let isAdmin: Bool
    }

    /// The navigation entry a page belongs to; each is a flag so templates can mark it.
    struct Section: Sendable {
        var catalog = false, feed = false, account = false, login = false
    }

    /// Every HTML page's headers: no other site may frame it (clickjacking), and browsers take
    /// the content type as sent (SPEC §13).
    static let htmlHeaders: HTTPFields = [
        .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
        .contentSecurityPolicy: "frame-ancestors 'none'; base-uri 'self'; object-src 'none'",
        HTTPField.Name("X-Content-Type-Options")!: "nosniff",
    ]

    /// An HTML response of `template` over `page`, framed for `session`.
    func page<Page: Sendable>(
        _ template: String, title: String, session: WebSession, page: Page, section: Section = Section(),
        status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let viewer = session.account.map { Viewer(username: $0.username, displayName: $0.displayName, isAdmin: $0.isAdmin) }
        let frame = Frame(title: title, viewer: viewer, csrf: session.csrf, page: page, section: section)
        guard let html = library.render(frame, withTemplate: template) else {
            throw VeritasError(.storage, "no template named \(template)")
        }
        var response = Response(status: status, headers: Self.htmlHeaders, body: .init(byteBuffer: ByteBuffer(string: html)))
        session.writeCookies(into: &response)
        return response
    }
}
