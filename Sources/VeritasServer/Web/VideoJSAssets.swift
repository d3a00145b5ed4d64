// Finds the video.js that the setup installed (PyPI's js.videojs) so the player can fall back to it.
import Foundation
import Hummingbird

/// video.js with its HLS engine, read once from where the package manager put it: the folder
/// in `VERITAS_VIDEOJS_DIR`, or else the `resources` of the `js.videojs` Python package as
/// `python3` reports it. Nothing is copied into the repository; without it the page still
/// plays HLS where the browser does natively.
struct VideoJSAssets: Sendable {
    /// File name → contents and type, for the fixed names the page uses.
    let files: [String: (body: ByteBuffer, type: String)]

    static let served = ["video.min.js": "text/javascript; charset=utf-8", "video-js.min.css": "text/css; charset=utf-8"]

    /// Loads the files from `directory`; nil when any is missing.
    init?(directory: URL) {
        var files: [String: (ByteBuffer, String)] = [:]
        for (name, type) in Self.served {
            guard let data = try? Data(contentsOf: directory.appendingPathComponent(name)) else { return nil }
            files[name] = (ByteBuffer(bytes: data), type)
        }
        self.files = files
    }

    /// The installed copy, if one can be found.
    static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> VideoJSAssets? {
        if let configured = environment["VERITAS_VIDEOJS_DIR"], !configured.isEmpty {
            return VideoJSAssets(directory: URL(fileURLWithPath: configured))
        }
        guard let package = askPython() else { return nil }
        return VideoJSAssets(directory: URL(fileURLWithPath: package).appendingPathComponent("resources"))
    }

    /// `python3 -c 'import js.videojs …'`: the package's folder, or nil when python or the
    /// package is absent.
    private static func askPython() -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import js.videojs, os; print(os.path.dirname(js.videojs.__file__))"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let path = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return path.isEmpty ? nil : path
    }
}
