// Mastodon's paging on the wire: max_id/since_id/min_id/limit in, a `Link` header out.
import Foundation
import HTTPTypes
import Hummingbird
import VeritasCore

/// Reads a page request from a query string and answers a page with Mastodon's `Link` header.
enum Pagination {
    /// The page the query asks for; `400` for ids or limits that are not numbers.
    static func page(_ request: Request) throws -> PageRequest {
        let query = request.uri.queryParameters
        func id(_ name: String) throws -> Int64? {
            guard let text = query.get(name), !text.isEmpty else { return nil }
            // Mastodon clients send 0 for "from the start"; any other id is 1–19 digits.
            if text == "0" { return 0 }
            guard let value = RequestNumber.id(text) else { throw APIError(.badRequest, "\(name) must be an id") }
            return value
        }
        let limit = try number("limit", in: request, default: PageRequest.defaultLimit, clampedTo: 1...PageRequest.maxLimit)
        return PageRequest(maxID: try id("max_id"), sinceID: try id("since_id"), minID: try id("min_id"), limit: limit)
    }

    /// A JSON array answer; with a non-empty page, `Link: <…max_id=last>; rel="next",
    /// <…min_id=first>; rel="prev"` keeping the request's other parameters, as Mastodon does.
    static func response(
        _ items: some Encodable, firstID: Int64?, lastID: Int64?, request: Request, baseURL: String
    ) throws -> Response {
        try response(json: Array(APIJSON.encoder.encode(items)), firstID: firstID, lastID: lastID, request: request, baseURL: baseURL)
    }

    /// The same for an array already encoded.
    static func response(json: [UInt8], firstID: Int64?, lastID: Int64?, request: Request, baseURL: String) throws -> Response {
        var headers = HTTPFields()
        if let firstID, let lastID {
            let cursors: Set<String> = ["max_id", "min_id", "since_id"]
            let next = link(request, baseURL: baseURL, replacing: cursors, with: ("max_id", String(lastID)))
            let previous = link(request, baseURL: baseURL, replacing: cursors, with: ("min_id", String(firstID)))
            headers[.link] = "<\(next)>; rel=\"next\", <\(previous)>; rel=\"prev\""
        }
        return .json(json, headers: headers)
    }

    /// A page of a list ordered by something other than ids (the catalog): `limit` (default
    /// and most 40) items from `offset`, made into entities by `entity` (only those of the page
    /// are), with `Link: <…offset=…>; rel="next"` while more follow.
    static func offsetPage<Item, Entity: Encodable>(
        _ items: [Item], request: Request, baseURL: String, entity: (Item) throws -> Entity
    ) throws -> Response {
        let limit = try number("limit", in: request, default: PageRequest.maxLimit, clampedTo: 1...PageRequest.maxLimit)
        let offset = try number("offset", in: request, default: 0, clampedTo: 0...1_000_000_000)
        let page = items.dropFirst(offset).prefix(limit)
        var headers = HTTPFields()
        if offset + page.count < items.count {
            let next = link(request, baseURL: baseURL, replacing: ["offset"], with: ("offset", String(offset + page.count)))
            headers[.link] = "<\(next)>; rel=\"next\""
        }
        return .json(Array(try APIJSON.encoder.encode(try page.map(entity))), headers: headers)
    }

    /// The query parameter `name` as a count clamped into `range`, `fallback` when absent;
    /// `400` when it is not a number.
    private static func number(_ name: String, in request: Request, default fallback: Int, clampedTo range: ClosedRange<Int>) throws -> Int {
        guard let text = request.uri.queryParameters.get(name), !text.isEmpty else { return fallback }
        guard let value = RequestNumber.count(text, clampedTo: range) else { throw APIError(.badRequest, "\(name) must be a number") }
        return value
    }

    /// This request's URL with the parameters in `replaced` dropped and `item` added.
    private static func link(
        _ request: Request, baseURL: String, replacing replaced: Set<String>, with item: (name: String, value: String)
    ) -> String {
        var components = URLComponents()
        components.queryItems = request.decodedQuery.filter { !replaced.contains($0.name) }.map { URLQueryItem(name: $0.name, value: $0.value) }
            + [URLQueryItem(name: item.name, value: item.value)]
        return "\(baseURL)\(request.uri.path)?\(components.percentEncodedQuery ?? "")"
    }
}

extension HTTPField.Name {
    static let link = Self("Link")!
}

extension Request {
    /// The query's name–value pairs with names percent-decoded too (Hummingbird decodes only
    /// values, and clients send `types%5B%5D=…` for `types[]`).
    var decodedQuery: [(name: String, value: String)] {
        uri.queryParameters.map { (String($0.key).removingPercentEncoding ?? String($0.key), String($0.value)) }
    }

    /// Every value of an array parameter, sent as `name[]=…` or `name=…`.
    func queryValues(_ name: String) -> [String] {
        decodedQuery.filter { $0.name == name || $0.name == name + "[]" }.map(\.value)
    }
}
