// Closes connections whose request head does not arrive in time (SPEC §13: 30 s).
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Two handlers around NIO's HTTP decoder sharing one deadline: `rawBytes` sits in front of
/// the decoder and starts the clock when the first byte of a request arrives; `parts` sits
/// behind it and stops the clock when the decoder delivers the complete head, and restarts the
/// wait when a response ends. A client that trickles a head byte by byte (slowloris) is closed
/// 30 s after its first byte. Idle keep-alive connections, which send nothing at all, are closed
/// by Hummingbird's idle timeout (75 s).
///
/// Both handlers live on the channel's event loop and only touch the shared state from it.
final class RequestHeadDeadline {
    let limit: TimeAmount
    /// Whether the connection waits for a request head (true from accept and after each response).
    private var waiting = true
    private var timer: Scheduled<Void>?

    init(limit: TimeAmount = .seconds(30)) {
        self.limit = limit
    }

    /// The handler to add before the HTTP decoder.
    var rawBytes: RawBytes { RawBytes(deadline: self) }
    /// The handler to add after the HTTP decoder (and its HTTP types conversion).
    var parts: Parts { Parts(deadline: self) }

    fileprivate func bytesArrived(_ context: ChannelHandlerContext) {
        guard waiting, timer == nil else { return }
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: limit) { channel.close(promise: nil) }
    }

    fileprivate func headArrived() {
        waiting = false
        timer?.cancel()
        timer = nil
    }

    fileprivate func responseEnded() {
        waiting = true
    }

    fileprivate func closed() {
        timer?.cancel()
        timer = nil
    }

    final class RawBytes: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        typealias InboundOut = ByteBuffer
        let deadline: RequestHeadDeadline

        init(deadline: RequestHeadDeadline) {
            self.deadline = deadline
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            deadline.bytesArrived(context)
            context.fireChannelRead(data)
        }

        func channelInactive(context: ChannelHandlerContext) {
            deadline.closed()
            context.fireChannelInactive()
        }
    }

    final class Parts: ChannelDuplexHandler, RemovableChannelHandler {
        typealias InboundIn = HTTPRequestPart
        typealias InboundOut = HTTPRequestPart
        typealias OutboundIn = HTTPResponsePart
        typealias OutboundOut = HTTPResponsePart
        let deadline: RequestHeadDeadline

        init(deadline: RequestHeadDeadline) {
            self.deadline = deadline
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if case .head = unwrapInboundIn(data) { deadline.headArrived() }
            context.fireChannelRead(data)
        }

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            if case .end = unwrapOutboundIn(data) { deadline.responseEnded() }
            context.write(data, promise: promise)
        }
    }
}
