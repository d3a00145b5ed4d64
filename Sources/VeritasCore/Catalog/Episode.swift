// An episode of a show, pointing at the asset that holds its media.
import Foundation

/// An episode; viewers see it only when it and its show are published and its asset is ready.
public struct Episode: Codable, Sendable, Hashable {
    public var id: String
    public var showID: String
    public var season: Int?
    public var number: Int?
    public var title: String
    public var description: String
    public var assetID: String
    public var isPublished: Bool
    public var publishedAt: Date?
    public var createdAt: Date

    public init(
        id: String, showID: String, season: Int? = nil, number: Int? = nil, title: String, description: String = "",
        assetID: String, isPublished: Bool = false, publishedAt: Date? = nil, createdAt: Date = Date()
    ) {
        self.id = id
        self.showID = showID
        self.season = season
        self.number = number
        self.title = title
        self.description = description
        self.assetID = assetID
        self.isPublished = isPublished
        self.publishedAt = publishedAt
        self.createdAt = createdAt
    }
}
