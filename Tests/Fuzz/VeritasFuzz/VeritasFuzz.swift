// The fuzzing driver: `VeritasFuzz TARGET [libFuzzer flags] [CORPUS...]` (README "Fuzzing").
//
// Built with `-Xswiftc -sanitize=fuzzer,address -Xswiftc -DVERITAS_FUZZ` it hands TARGET's
// property checks to libFuzzer; built plainly (the normal `swift build`) it replays the corpus
// files and folders it is given through the same checks, so the targets always compile.
import CLibFuzzer
import Foundation

@main
enum VeritasFuzz {
    /// The target this process runs: named by the first argument, which is also put in the
    /// environment so that the processes libFuzzer starts itself (`-fork`, `-merge`) find it.
    static let selected: FuzzTarget? = ProcessInfo.processInfo.environment["VERITAS_FUZZ_TARGET"].flatMap(FuzzTargets.named)

    static func main() {
        var arguments = CommandLine.arguments
        if arguments.count > 1, FuzzTargets.named(arguments[1]) != nil {
            setenv("VERITAS_FUZZ_TARGET", arguments.remove(at: 1), 1)
        }
        guard let target = selected else {
            let names = FuzzTargets.all.map { "  \($0.name): \($0.summary)" }.joined(separator: "\n")
            FileHandle.standardError.write(Data("usage: VeritasFuzz TARGET [libFuzzer flags] [CORPUS...]\ntargets:\n\(names)\n".utf8))
            exit(arguments.contains("--list") ? 0 : 2)
        }
        #if VERITAS_FUZZ
        var count = CInt(arguments.count)
        var pointers: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        let status = pointers.withUnsafeMutableBufferPointer { buffer in
            var argv = buffer.baseAddress
            return LLVMFuzzerRunDriver(&count, &argv, LLVMFuzzerTestOneInput)
        }
        exit(status)
        #else
        replay(target, paths: arguments.dropFirst().filter { !$0.hasPrefix("-") })
        #endif
    }

    /// Runs every file under `paths` through `target` once.
    static func replay(_ target: FuzzTarget, paths: some Sequence<String>) {
        var count = 0
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                FileHandle.standardError.write(Data("\(path): no such file or folder\n".utf8))
                exit(2)
            }
            let files =
                isFolder.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { "\(path)/\($0)" } : [path]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                currentInput.withLock { $0 = file }
                target.run(FuzzInput([UInt8](data)))
                count += 1
            }
        }
        print("\(target.name): \(count) inputs replayed, every property held")
    }
}

/// libFuzzer's callback: one input through the selected target.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let target = VeritasFuzz.selected else { return 0 }
    target.run(FuzzInput(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))))
    return 0
}
