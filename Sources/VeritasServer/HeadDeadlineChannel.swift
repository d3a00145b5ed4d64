// A child channel that closes connections whose request head is late (see `RequestHeadDeadline`).
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypesHTTP1

/// Wraps an HTTP/1 child channel: after its pipeline is set up, puts `RequestHeadDeadline`'s
/// handlers in front of the HTTP decoder and right behind the HTTP types codec.
struct HeadDeadlineChannel<Base: ServerChildChannel>: ServerChildChannel {
    let base: Base
    var limit: TimeAmount = .seconds(30)

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Base.Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let deadline = RequestHeadDeadline(limit: limit)
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(deadline.rawBytes, position: .first)
            let codec = try pipeline.handler(type: HTTP1ToHTTPServerCodec.self)
            try pipeline.addHandler(deadline.parts, position: .after(codec))
            return value
        }
    }

    func handle(value: Base.Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
