import Dispatch
import NIOCore
import PostgresNIO

/// The event loops a pool's connections are opened on, one after another. PostgresNIO opens each
/// connection on its group's `any()`, which NIO answers with the calling thread's own loop — and a
/// pool opens its connections from its own task, which runs on one loop (tasks run on the event
/// loops, `ServiceMain`). So every connection of a service sat on one loop, and every task that
/// awaited a query went on there: intake during a backfill used one loop for ~8 in 9 of its loop
/// time (`/proc/<pid>/task`: 184 ticks against 23), one core for what two could share; spread, 269
/// against 164 at 2,000 settlements/s. (A client whose tasks run on Swift's own pool gets this from
/// `any()` already: asked from off a loop, NIO answers with the next.)
final class SpreadEventLoops: EventLoopGroup {
    private let base: any EventLoopGroup

    init(_ base: any EventLoopGroup = PostgresClient.defaultEventLoopGroup) { self.base = base }

    func next() -> any EventLoop { base.next() }
    func any() -> any EventLoop { base.next() }
    func makeIterator() -> EventLoopIterator { base.makeIterator() }

    /// The loops are the process's (NIO's singleton), not the pool's: nothing to stop here.
    func shutdownGracefully(queue: DispatchQueue, _ callback: @escaping @Sendable ((any Error)?) -> Void) {
        queue.async { callback(nil) }
    }
}
