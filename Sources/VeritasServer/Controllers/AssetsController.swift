// GET /api/v1/assets/:id: an asset's processing status and progress, for the admins who upload.
import Foundation
import Hummingbird
import VeritasCore

struct AssetsController: Sendable {
    let installation: Installation

    func register(on router: Router<VeritasRequestContext>) {
        router.scoped("admin:read").get("/api/v1/assets/:id", use: show)
    }

    /// An asset as its uploader follows it.
    struct AssetStatusEntity: ResponseEncodable {
        struct JobEntity: Encodable {
            let id: String
            let state: String
            let attempts: Int
            let lastError: String?
        }
        let id: String
        let episodeId: String?
        let status: String
        /// 0–1.
        let progress: Double
        let failureReason: String?
        let duration: Double?
        let createdAt: Date
        let updatedAt: Date
        let job: JobEntity?
    }

    @Sendable func show(request: Request, context: VeritasRequestContext) async throws -> AssetStatusEntity {
        guard try context.requireAccount().isAdmin else { throw APIError(.forbidden, "only an admin may see assets") }
        let id = try context.parameters.require("id")
        let store = installation.store
        guard IDGenerator.isWellFormed(id), let asset = try store.asset(id: id) else { throw APIError(.notFound, "no asset '\(id)'") }
        let job = try store.job(assetID: id)
        return AssetStatusEntity(
            id: asset.id, episodeId: try store.episode(assetID: id)?.id, status: asset.status.rawValue,
            progress: asset.progress, failureReason: asset.failureReason, duration: asset.duration,
            createdAt: asset.createdAt, updatedAt: asset.updatedAt,
            job: job.map { .init(id: $0.id, state: $0.state.rawValue, attempts: $0.attempts, lastError: $0.lastError) })
    }
}
