import Foundation
import NIOCore
import NIOPosix

/// A service's entry point: a configuration or start-up error ends the process with one clear
/// line on standard error and exit status 1, not a crash report.
public enum ServiceMain {
    /// Runs a service: its CPU class, its event loops as the tasks' executor, then `body`.
    ///
    /// The first steps run on the main thread (`@MainActor`), which has the `nice` the process was
    /// started with: the event loops' threads are started there and inherit it, and so do the
    /// threads they start (librdkafka's). Started from Swift's own pool instead, as before, they
    /// inherited the `nice` of libdispatch's threads, which libdispatch sets itself (0, one -4,
    /// whatever the process's): a review started at `nice` 10 behind intake (scripts/lib.sh) ran
    /// everything but its main thread at 0.
    @MainActor
    public static func run(_ service: String, _ body: () async throws -> Void) async {
        do {
            // Before the event loops: their threads inherit the class from this one.
            try CPUClass.fromEnvironment().apply()
            installEventLoopsAsGlobalExecutor(service)
            _ = MultiThreadedEventLoopGroup.singleton
            try await body()
        } catch {
            FileHandle.standardError.write(Data("\(service): \(error)\n".utf8))
            exit(1)
        }
    }

    /// Tasks run on the event loops that serve HTTP and PostgreSQL instead of a second pool of
    /// threads beside them: every request and every query otherwise hops between the two, and on
    /// two cores those hops (context switches) were the largest single item of intake's profile.
    /// It must happen before the first task is enqueued; a process where it comes too late runs on
    /// Swift's own pool, as before, and says so.
    private static func installEventLoopsAsGlobalExecutor(_ service: String) {
        guard !NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor() else { return }
        FileHandle.standardError.write(Data("\(service): tasks run on Swift's global pool (the event loops could not be installed as its executor)\n".utf8))
    }
}
