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
    ///
    /// Everything under the media directory is the installation's alone (SPEC §13): the process
    /// creates files owner-only from here on (umask 077: folders 0700, files 0600, the
    /// database's included), and an installation made before that is brought to the same modes
    /// once, on its first start since.
    public func prepare() throws {
        umask(0o077)
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
        try restrictModes()
    }

    /// Marks an installation whose modes are owner-only throughout.
    var ownerOnlyMarker: URL { root.appendingPathComponent(".owner-only") }

    /// Sets folders to 0700 and files to 0600 under the root (symbolic links are not followed),
    /// unless that was done before.
    private func restrictModes() throws {
        guard !FileManager.default.fileExists(atPath: ownerOnlyMarker.path) else { return }
        chmod(root.path, 0o700)
        if let walk = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isDirectoryKey, .isSymbolicLinkKey]) {
            for case let url as URL in walk {
                let values = try? url.resourceValues(forKeys: [.isDirectoryKey, .isSymbolicLinkKey])
                guard values?.isSymbolicLink != true else { continue }
                chmod(url.path, values?.isDirectory == true ? 0o700 : 0o600)
            }
        }
        guard FileManager.default.createFile(atPath: ownerOnlyMarker.path, contents: Data()) else {
            throw VeritasError(.storage, "cannot write \(ownerOnlyMarker.path)")
        }
    }

    static func reason(_ error: Error) -> String {
        (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    }
}
