// Writes the bytes of files `FileSender` answered for with sendfile(2), below Hummingbird's
// HTTP types codec, so a segment never passes through a ByteBuffer or a thread pool.
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// What `FileSender` asks `SendfileHandler` to send: bytes of a file below the media root, as
/// long as the file is still the version the answer's headers describe.
struct SendfileRequest: Equatable {
    let relativePath: String
    let bytes: ClosedRange<Int>
    let version: FileVersion

    init(relativePath: String, bytes: ClosedRange<Int>, version: FileVersion) {
        self.relativePath = relativePath
        self.bytes = bytes
        self.version = version
    }

    /// `first last size modified path`; the path comes last as the only free-form part.
    var headerValue: String {
        "\(bytes.lowerBound) \(bytes.upperBound) \(version.size) \(version.modified) \(relativePath)"
    }

    init?(headerValue: String) {
        let fields = headerValue.split(separator: " ", maxSplits: 4)
        guard fields.count == 5, let first = Int(fields[0]), let last = Int(fields[1]), let size = Int(fields[2]),
            let modified = Int(fields[3]), 0 <= first, first <= last, last < size
        else { return nil }
        let path = String(fields[4])
        // Only ever below the root, whoever set the header.
        guard !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else { return nil }
        self.init(relativePath: path, bytes: first...last, version: FileVersion(size: size, modified: modified))
    }
}

/// One per connection. A response head carrying `FileSender.sendfileField` leaves without it,
/// followed by the named bytes as a `FileRegion` written straight to NIO's HTTP/1 encoder (which
/// takes `IOData`; Hummingbird's parts above it carry only ByteBuffers), so the socket sends them
/// with sendfile(2). Order stays head → file → end: all three are written on the event loop in
/// the order Hummingbird wrote head and end. Plain HTTP only; TLS would need the bytes in memory.
final class SendfileHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let root: String
    /// The HTTP types codec's context: what it writes goes to NIO's encoder.
    private var encoderInput: ChannelHandlerContext?
    /// Files being written; a close asked for meanwhile waits for them (see `close`).
    private var filesInFlight = 0
    private var waitingClose: (mode: CloseMode, promise: EventLoopPromise<Void>)?

    /// Serves files below `root` (an absolute folder path).
    init(root: String) {
        self.root = folderPath(root)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        encoderInput = try? context.pipeline.syncOperations.context(handlerType: HTTP1ToHTTPServerCodec.self)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .head(var head) = unwrapOutboundIn(data), let value = head.headerFields[FileSender.sendfileField] else {
            context.write(data, promise: promise)
            return
        }
        head.headerFields[FileSender.sendfileField] = nil
        guard let request = SendfileRequest(headerValue: value), let encoderInput, let file = open(request) else {
            // The file went (or changed) since the route looked, or the pipeline is not the one
            // we know: an empty answer rather than bytes that do not match the headers.
            context.write(wrapOutboundOut(.head(Self.unavailable(head))), promise: promise)
            return
        }
        context.write(wrapOutboundOut(.head(head)), promise: promise)
        let region = FileRegion(fileHandle: file, readerIndex: request.bytes.lowerBound, endIndex: request.bytes.upperBound + 1)
        let written = context.eventLoop.makePromise(of: Void.self)
        filesInFlight += 1
        written.futureResult.assumeIsolated().whenComplete { _ in
            // Written, or failed because the connection went: the descriptor is ours to close.
            try? file.close()
            self.filesInFlight -= 1
            if self.filesInFlight == 0, let waiting = self.waitingClose {
                self.waitingClose = nil
                context.close(mode: waiting.mode, promise: waiting.promise)
            }
        }
        encoderInput.write(NIOAny(HTTPServerResponsePart.body(.fileRegion(region))), promise: written)
    }

    /// Hummingbird closes a connection right after writing a response's end when it shuts down
    /// gracefully, and a full close drops writes still queued. With ByteBuffers its writer waited
    /// for the socket before writing the end; a file region is queued at once, so the close
    /// waits here until the file has gone out (or failed, which closes the channel anyway).
    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard mode == .all, filesInFlight > 0 else {
            context.close(mode: mode, promise: promise)
            return
        }
        if let waiting = waitingClose {
            if let promise { waiting.promise.futureResult.cascade(to: promise) }
        } else {
            waitingClose = (mode, promise ?? context.eventLoop.makePromise())
        }
    }

    /// The file opened, if it is still the version the request describes. A blocking open(2) on
    /// the event loop, as nginx does: media sits on local disk and this costs microseconds.
    private func open(_ request: SendfileRequest) -> NIOFileHandle? {
        guard let file = try? NIOFileHandle(_deprecatedPath: root + request.relativePath) else { return nil }
        let version = try? file.withUnsafeFileDescriptor { FileVersion(descriptor: $0) }
        guard version == request.version else {
            try? file.close()
            return nil
        }
        return file
    }

    /// `head` turned into an empty 404.
    private static func unavailable(_ head: HTTPResponse) -> HTTPResponse {
        var fields = head.headerFields
        for name in [HTTPField.Name.contentType, .contentRange, .eTag, .lastModified, .acceptRanges] { fields[name] = nil }
        fields[.contentLength] = "0"
        fields[.cacheControl] = "no-store"
        return HTTPResponse(status: .notFound, headerFields: fields)
    }
}
