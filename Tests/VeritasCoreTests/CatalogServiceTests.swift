// Catalog rules over a real SQLite store: slugs, publishing only ready media, listings.
import Foundation
import MediaPipeline
import TestSupport
import Testing
@testable import VeritasCore

@Suite struct CatalogServiceTests {
    let store: SQLiteStore
    let catalog: CatalogService

    init() throws {
        store = try SQLiteStore(path: Fixtures.scratchDirectory("db").appendingPathComponent("veritas.sqlite").path)
        catalog = CatalogService(store: store)
    }

    func addEpisode(to show: Show, status: AssetStatus) throws -> Episode {
        var asset = Asset(id: IDGenerator.shared.next(), sourcePath: "/x.mp4", sealedKey: Data([1]))
        asset.status = status
        let episode = Episode(id: IDGenerator.shared.next(), showID: show.id, title: "E", assetID: asset.id)
        try store.insert(episode, asset: asset)
        return episode
    }

    @Test func showsAreFoundBySlugOrId() throws {
        let show = try catalog.addShow(slug: "night-news", title: "Night News", kind: .series, isFree: true)
        #expect(try catalog.show("night-news").id == show.id)
        #expect(try catalog.show(show.id).slug == "night-news")
        #expect(throws: VeritasError.notFound("no show 'nope'")) { try catalog.show("nope") }
    }

    @Test(arguments: ["", "Caps", "with space", "-lead", "trail-", "../etc", "a/b", String(repeating: "a", count: 65)])
    func badSlugsAreRefused(slug: String) throws {
        #expect(throws: VeritasError.self) { try catalog.addShow(slug: slug, title: "T", kind: .film, isFree: false) }
    }

    @Test func duplicateSlugIsAConflict() throws {
        try catalog.addShow(slug: "dup", title: "One", kind: .series, isFree: false)
        let error = try #require(throws: VeritasError.self) { try catalog.addShow(slug: "dup", title: "Two", kind: .series, isFree: false) }
        #expect(error.kind == .conflict)
    }

    @Test func onlyReadyEpisodesCanBePublished() throws {
        let show = try catalog.addShow(slug: "s", title: "S", kind: .series, isFree: false)
        for status in [AssetStatus.queued, .processing, .failed] {
            let episode = try addEpisode(to: show, status: status)
            let error = try #require(throws: VeritasError.self) { try catalog.publishEpisode(episode.id) }
            #expect(error.kind == .conflict)
            #expect(try catalog.episode(episode.id).isPublished == false)
        }
        let ready = try addEpisode(to: show, status: .ready)
        try catalog.publishEpisode(ready.id, at: Date(timeIntervalSince1970: 1000))
        #expect(try catalog.episode(ready.id).publishedAt == Date(timeIntervalSince1970: 1000))
        try catalog.unpublishEpisode(ready.id)
        #expect(try catalog.episode(ready.id).isPublished == false)
    }

    @Test func markReadyRecordsRenditionsAtomically() throws {
        let show = try catalog.addShow(slug: "r", title: "R", kind: .podcast, isFree: true)
        let episode = try addEpisode(to: show, status: .processing)
        let packaged = PackagedAsset(
            duration: 12.5, master: "master.m3u8",
            renditions: [.init(kind: "audio", name: "audio", bandwidth: 140_000, averageBandwidth: 130_000, codecs: "mp4a.40.2",
                               playlist: "audio/index.m3u8", segmentCount: 3)],
            poster: nil, enclosure: "enclosure.m4a")
        let source = SourceInfo(container: "wav", duration: 12.5, streams: [], video: nil, audio: nil)
        try store.markReady(assetID: episode.assetID, source: source, packaged: packaged)
        let asset = try #require(try store.asset(id: episode.assetID))
        #expect(asset.status == .ready && asset.progress == 1 && asset.duration == 12.5)
        #expect(asset.source == source && asset.enclosure == "enclosure.m4a")
        #expect(try store.renditions(assetID: episode.assetID).map(\.name) == ["audio"])
        let listing = try catalog.episodes(show: "r")
        #expect(listing.map(\.episode.id) == [episode.id])
        #expect(listing.first?.asset?.status == .ready)
    }

    @Test func twoConnectionsShareTheDatabase() throws {
        let path = try Fixtures.scratchDirectory("shared").appendingPathComponent("veritas.sqlite").path
        let first = try SQLiteStore(path: path), second = try SQLiteStore(path: path)
        try CatalogService(store: first).addShow(slug: "shared", title: "Shared", kind: .film, isFree: true)
        #expect(try second.show("shared")?.title == "Shared")
    }
}
