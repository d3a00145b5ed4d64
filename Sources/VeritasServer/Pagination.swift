// Mastodon's paging on the wire: max_id/since_id/min_id/limit in, a `Link` header out.
import Foundation
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
        var limit = PageRequest.defaultLimit
        if let text = query.get("limit"), !text.isEmpty {
            guard let value = RequestNumber.count(text, clampedTo: 1...PageRequest.maxLimit) else {
                throw APIError(.badRequest, "limit must be a number")
            }
            limit = value
        }
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
            let kept = request.decodedQuery.filter { !["max_id", "min_id", "since_id"].contains($0.name) }
            func link(_ name: String, _ id: Int64) -> String {
                var components = URLComponents()
                components.queryItems = kept.map { URLQueryItem(name: $0.name, value: $0.value) } + [URLQueryItem(name: name, value: String(id))]
                return "\(baseURL)\(request.uri.path)?\(components.percentEncodedQuery ?? "")"
            }
            headers[.init("Link")!] = "<\(link("max_id", lastID))>; rel=\"next\", <\(link("min_id", firstID))>; rel=\"prev\""
        }
        return .json(json, headers: headers)
    }
}

extension Pagination {
    /// A page of a list ordered by something other than ids (the catalog): `limit` (default
    /// and most 40) items from `offset`, made into entities by `entity` (only those of the page
    /// are), with `Link: <…offset=…>; rel="next"` while more follow.
    static func offsetPage<Item, Entity: Encodable>(
        _ items: [Item], request: Request, baseURL: String, entity: (Item) throws -> Entity
    ) throws -> Response {
        let query = request.uri.queryParameters
        var limit = PageRequest.maxLimit, offset = 0
        if let text = query.get("limit"), !text.isEmpty {
            guard let value = RequestNumber.count(text, clampedTo: 1...PageRequest.maxLimit) else {
                throw APIError(.badRequest, "limit must be a number")
            }
            limit = value
        }
        if let text = query.get("offset"), !text.isEmpty {
            guard let value = RequestNumber.count(text, clampedTo: 0...1_000_000_000) else { throw APIError(.badRequest, "offset must be a number") }
            offset = value
        }
        let page = items.dropFirst(offset).prefix(limit)
        var headers = HTTPFields()
        if offset + page.count < items.count {
            let kept = request.decodedQuery.filter { $0.name != "offset" }
            var components = URLComponents()
            components.queryItems = kept.map { URLQueryItem(name: $0.name, value: $0.value) } + [URLQueryItem(name: "offset", value: String(offset + page.count))]
            headers[.init("Link")!] = "<\(baseURL)\(request.uri.path)?\(components.percentEncodedQuery ?? "")>; rel=\"next\""
        }
        return .json(Array(try APIJSON.encoder.encode(try page.map(entity))), headers: headers)
    }
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
