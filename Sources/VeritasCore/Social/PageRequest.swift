// Mastodon's id-range paging: max_id, since_id, min_id and limit.
import Foundation

/// Which slice of an id-ordered list a client asked for. Results are always newest first.
public struct PageRequest: Sendable, Equatable {
    /// Only ids below this.
    public var maxID: Int64?
    /// Only ids above this, newest first (the page just below the present).
    public var sinceID: Int64?
    /// Only ids above this, the page immediately above it (wins over `sinceID`).
    public var minID: Int64?
    public var limit: Int

    public static let defaultLimit = 20
    public static let maxLimit = 40

    public init(maxID: Int64? = nil, sinceID: Int64? = nil, minID: Int64? = nil, limit: Int = PageRequest.defaultLimit) {
        self.maxID = maxID
        self.sinceID = sinceID
        self.minID = minID
        self.limit = min(max(limit, 1), Self.maxLimit)
    }

    /// Whether the rows must be read upwards from `minID` (then reversed to newest first).
    public var readsUpwards: Bool { minID != nil }

    /// The exclusive lower bound.
    public var lowerBound: Int64? { minID ?? sinceID }

    /// Whether `id` falls within the requested range.
    public func contains(_ id: Int64) -> Bool {
        if let maxID, id >= maxID { return false }
        if let lowerBound, id <= lowerBound { return false }
        return true
    }

    /// The page out of ids from several sources: in range, distinct, the right end kept,
    /// newest first.
    public func select(_ ids: some Sequence<Int64>) -> [Int64] {
        let sorted = Set(ids.filter(contains)).sorted(by: >)
        return readsUpwards ? Array(sorted.suffix(limit)) : Array(sorted.prefix(limit))
    }
}
