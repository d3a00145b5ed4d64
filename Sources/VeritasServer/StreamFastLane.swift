// Playlists and segments that pass every check are answered in the NIO pipeline, without the
// trip through Hummingbird's async channel, router and middleware; everything else goes on.
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import NIOCore
import NIOHTTPTypes
import Synchronization

/// One per connection, between the HTTP codec and Hummingbird. A request head that
/// `StreamController.fastAnswer` answers is answered here, and its body parts dropped; any other
/// is passed on, with its parts, to be answered by the router as usual (errors included, so they
/// are made in one place).
///
/// Answers leave in the order requests came: while Hummingbird still owes an answer, or the
/// socket is not writable, later requests are passed on too (Hummingbird reads them one at a
/// time, so a client that pipelines cannot queue up files here).
///
/// What Hummingbird and the middleware would have added is added here: `Date`, `Server`, the
/// request id, the request log line, the route's request metrics and the bytes-served count.
/// Cross-origin requests are passed on, so CORS headers come only from the middleware.
final class StreamFastLane: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// The route's name in metrics, as Hummingbird reports it for `StreamController`.
    static let route = RouterPath(StreamController.route).description

    private let stream: StreamController
    private let metrics: StreamLaneMetrics
    private let dates: HTTPDateCache
    private let logger: Logger
    /// `SendfileHandler`'s context: a playlist's parts are written from there, past a handler
    /// that only has work for file answers (its header lookup was a tenth of a playlist request).
    private var belowSendfile: ChannelHandlerContext?
    /// Requests passed on whose answer has not ended yet.
    private var owed = 0
    /// Whether the parts of the request being read are dropped (it was answered here).
    private var answeredCurrent = false

    init(stream: StreamController, metrics: StreamLaneMetrics, dates: HTTPDateCache, logger: Logger) {
        self.stream = stream
        self.metrics = metrics
        self.dates = dates
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        belowSendfile = try? context.pipeline.syncOperations.context(handlerType: SendfileHandler.self)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            let start = DispatchTime.now().uptimeNanoseconds
            if owed == 0, context.channel.isWritable, let (head, body) = stream.fastAnswer(to: request) {
                answeredCurrent = true
                send(head, body, for: request, start: start, context: context)
            } else {
                answeredCurrent = false
                owed += 1
                context.fireChannelRead(data)
            }
        case .body, .end:
            if !answeredCurrent { context.fireChannelRead(data) }
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { owed = max(0, owed - 1) }
        context.write(data, promise: promise)
    }

    private func send(_ head: HTTPResponse, _ body: String?, for request: HTTPRequest, start: UInt64, context: ChannelHandlerContext) {
        var head = head
        let id = RequestID().description
        head.headerFields[.requestID] = id
        head.headerFields[.date] = dates.now()
        head.headerFields[.server] = "Veritas"
        logger.info(
            "Request",
            metadata: [
                "hb.request.id": .string(id), "hb.request.path": .string(LogRedaction.target(request.path ?? "")),
                "hb.request.method": .string(request.method.rawValue),
            ])
        let writer = body != nil ? belowSendfile ?? context : context
        writer.write(wrapOutboundOut(.head(head)), promise: nil)
        if let body { writer.write(wrapOutboundOut(.body(ByteBuffer(string: body))), promise: nil) }
        writer.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        metrics.record(head, method: request.method, nanoseconds: DispatchTime.now().uptimeNanoseconds - start)
    }
}

/// The request metrics `StreamFastLane` records, under the names and dimensions Hummingbird's
/// `MetricsMiddleware` and `BytesServedMiddleware` use, so `/metrics` shows one series per route
/// however a request was answered. Created once per status and method, not per request.
final class StreamLaneMetrics: Sendable {
    private let bytesServed = Counter(label: BytesServedMiddleware.label)
    private struct Series: Hashable {
        let method: HTTPRequest.Method
        let status: Int
    }
    private let series = Mutex<[Series: (Counter, Timer)]>([:])

    func record(_ head: HTTPResponse, method: HTTPRequest.Method, nanoseconds: UInt64) {
        let key = Series(method: method, status: head.status.code)
        let (counter, timer) = series.withLock { series in
            if let existing = series[key] { return existing }
            let dimensions = [
                ("http.route", StreamFastLane.route), ("http.request.method", method.description),
                ("http.response.status_code", key.status.description),
            ]
            let made = (
                Counter(label: "hb.requests", dimensions: dimensions),
                Timer(label: "http.server.request.duration", dimensions: dimensions, preferredDisplayUnit: .seconds)
            )
            series[key] = made
            return made
        }
        counter.increment()
        timer.recordNanoseconds(Int64(clamping: nanoseconds))
        if let length = head.headerFields[.contentLength].flatMap(Int64.init) { bytesServed.increment(by: length) }
    }
}

/// The `Date` header of this second, formatted once per second.
final class HTTPDateCache: Sendable {
    private let current = Mutex<(second: Int, text: String)>((0, ""))

    func now() -> String {
        let second = Int(time(nil))
        return current.withLock { current in
            if current.second != second { current = (second, HTTPDate.format(second)) }
            return current.text
        }
    }
}
