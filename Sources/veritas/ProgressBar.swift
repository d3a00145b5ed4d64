// Draws ingest progress: a live bar on a terminal, plain lines in logs and pipes.
import Foundation
import MediaPipeline

/// Renders `IngestProgress` updates to standard output.
final class ProgressBar {
    private let isTerminal: Bool
    private let label: String
    private var lastLine = Date.distantPast
    private var drewBar = false

    init(label: String, isTerminal: Bool = isatty(STDOUT_FILENO) == 1) {
        self.label = label
        self.isTerminal = isTerminal
    }

    func update(_ progress: IngestProgress) {
        if isTerminal {
            FileHandle.standardOutput.write(Data(("\r\u{1B}[2K" + Self.bar(progress)).utf8))
            drewBar = true
        } else if Date().timeIntervalSince(lastLine) >= 2 || progress.fraction == 1 {
            lastLine = Date()
            FileHandle.standardOutput.write(Data("\(label): \(Self.summary(progress))\n".utf8))
        }
    }

    /// Ends the bar's line so that what follows starts on a new one.
    func finish() {
        if drewBar { FileHandle.standardOutput.write(Data("\n".utf8)) }
        drewBar = false
    }

    /// `[#########.........]  45%  3.2× realtime  ETA 0:12`
    static func bar(_ progress: IngestProgress, width: Int = 30) -> String {
        let fraction = progress.fraction ?? 0
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        return "[\(bar)] " + summary(progress)
    }

    /// `45%  3.2× realtime  ETA 0:12` (or the processed time when the duration is unknown).
    static func summary(_ progress: IngestProgress) -> String {
        let done = progress.fraction.map { String(format: "%3.0f%%", $0 * 100) } ?? formatDuration(progress.processedSeconds)
        let speed = String(format: "%.1f× realtime", progress.speed)
        let eta = progress.remainingSeconds.map { "ETA " + formatDuration($0) } ?? "ETA -"
        return "\(done)  \(speed)  \(eta)"
    }
}
