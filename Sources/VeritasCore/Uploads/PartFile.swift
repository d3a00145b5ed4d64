// An upload's bytes on disk: appended at the acknowledged offset, made durable before acknowledging.
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The partial file of one upload, open for appending.
///
/// Opening cuts the file back to the acknowledged offset: bytes written after the last durable
/// checkpoint (a crash in the middle of a PATCH) were never acknowledged and are written again.
/// Owned by one request at a time; not shared between tasks.
public final class PartFile {
    private let descriptor: Int32
    public private(set) var offset: Int64
    private let path: String

    public init(url: URL, offset: Int64) throws {
        path = url.path
        descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Self.failure("open", path) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            close(descriptor)
            throw Self.failure("stat", path)
        }
        guard Int64(status.st_size) >= offset else {
            close(descriptor)
            throw VeritasError(.storage, "the upload file \(path) is shorter than its acknowledged offset \(offset)")
        }
        guard ftruncate(descriptor, off_t(offset)) == 0, lseek(descriptor, off_t(offset), SEEK_SET) == offset else {
            close(descriptor)
            throw Self.failure("truncate", path)
        }
        self.offset = offset
    }

    deinit { close(descriptor) }

    /// Appends `bytes` (not yet durable; see `sync`).
    public func append(_ bytes: UnsafeRawBufferPointer) throws {
        guard var next = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let written = write(descriptor, next, left)
            if written < 0 {
                if errno == EINTR { continue }
                throw Self.failure("write", path)
            }
            left -= written
            next += written
            offset += Int64(written)
        }
    }

    /// Flushes everything appended to the disk.
    public func sync() throws {
        try mark().sync()
    }

    /// What has been appended so far, to be made durable on another thread while more arrives.
    /// The file must stay open until that `sync` returns.
    public func mark() -> DurableMark {
        DurableMark(descriptor: descriptor, offset: offset, path: path)
    }

    /// A point in a part file that `sync` makes durable.
    public struct DurableMark: Sendable {
        let descriptor: Int32
        /// The bytes before it are on the disk once `sync` returns.
        public let offset: Int64
        let path: String

        /// Flushes the file (at least up to `offset`) to the disk.
        public func sync() throws {
            guard fsync(descriptor) == 0 else { throw PartFile.failure("fsync", path) }
        }
    }

    /// Flushes a folder, so a file just created in it survives a crash.
    public static func syncDirectory(_ url: URL) {
        let folder = open(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { return }
        fsync(folder)
        close(folder)
    }

    fileprivate static func failure(_ operation: String, _ path: String) -> VeritasError {
        VeritasError(.storage, "cannot \(operation) \(path): \(String(cString: strerror(errno)))")
    }
}
