// Where each kind of runtime data lives under the media directory.
import Foundation

/// The layout of the media directory: `veritas.sqlite`, `assets/ID/`, `staging/ID/`, `uploads/ID`,
/// `secrets/`.
public struct MediaPaths: Sendable, Equatable {
    public let root: URL

    public init(root: String) {
        self.root = URL(fileURLWithPath: root, isDirectory: true).standardizedFileURL
    }

    public var database: URL { root.appendingPathComponent("veritas.sqlite") }
    public var assets: URL { root.appendingPathComponent("assets", isDirectory: true) }
    public var staging: URL { root.appendingPathComponent("staging", isDirectory: true) }
    public var secrets: URL { root.appendingPathComponent("secrets", isDirectory: true) }
    /// Uploaded files: partial while the upload runs, then the source of their asset.
    public var uploads: URL { root.appendingPathComponent("uploads", isDirectory: true) }

    /// The folder of a finished asset.
    public func asset(_ id: String) -> URL { assets.appendingPathComponent(id, isDirectory: true) }
    /// The folder an asset is built in before it is moved into place.
    public func stagingAsset(_ id: String) -> URL { staging.appendingPathComponent(id, isDirectory: true) }
    /// The bytes of an upload.
    public func upload(_ id: String) -> URL { uploads.appendingPathComponent(id) }

    /// Creates the folders, failing with a clear message when the directory is not writable.
    public func prepare() throws {
        for folder in [root, assets, staging, uploads, secrets] {
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw VeritasError(.storage, "cannot create \(folder.path): \(Self.reason(error))")
            }
        }
        guard FileManager.default.isWritableFile(atPath: root.path) else {
            throw VeritasError(.storage, "the media directory \(root.path) is not writable")
        }
    }

    static func reason(_ error: Error) -> String {
        (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    }
}
