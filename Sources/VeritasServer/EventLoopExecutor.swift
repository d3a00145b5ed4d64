// Each connection's requests are handled on the event loop that owns its socket.
import HummingbirdCore
import Logging
import NIOCore

/// A task executor that runs jobs on one NIO event loop.
final class EventLoopExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// `base`, with each connection's task preferring its channel's event loop to Swift's global
/// pool. Hummingbird otherwise hands every request from the socket's thread to the pool and the
/// answer back, and on a small machine the pool's threads and NIO's compete for the same cores:
/// at 64 connections on 2 cores the home timeline's p99 went from 57–66 ms to 46–56 ms, with the
/// same throughput.
///
/// The price is the one NIO always asks: a handler must not block for long, or every connection
/// of its loop waits. Database calls here take well under a millisecond; bcrypt, which takes a
/// tenth of a second, runs on a thread of its own (`OAuthController.login`), as do ingests and
/// upload fsyncs (`OwnThread`).
struct EventLoopBoundChannel<Base: ServerChildChannel>: ServerChildChannel {
    let base: Base

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Base.Value> {
        base.setup(channel: channel, logger: logger)
    }

    func handle(value: Base.Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopExecutor(value.channel.eventLoop)) {
            await base.handle(value: value, logger: logger)
        }
    }
}
