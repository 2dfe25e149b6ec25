import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Threads of their own, below the event loops' priority, for long CPU work that holds no lock and
/// no connection: reading and checking the lines of a bulk backfill. Tasks run on the event loops
/// (`ServiceMain`), and a loop running such work runs nothing else meanwhile: a backfill of 5,000
/// lines is ~0.2-0.5 s of checks, during which every 3102 call, HTTP read and PostgreSQL reply
/// that the same loop serves waited. Work run here (`withTaskExecutorPreference`) leaves the loops
/// free, and at `nice` above theirs it takes a core only as the kernel weighs it against them.
///
/// The threads live as long as the process: a service makes one executor at start-up.
public final class LowPriorityExecutor: TaskExecutor, @unchecked Sendable {
    /// How much lower than the process's threads (`nice` added): 5 gives them a third of a
    /// loop thread's weight when both want a core.
    public static let niceIncrement: Int32 = 5

    // `@unchecked Sendable`: `jobs` is only touched under `condition`.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    public init(name: String, threads: Int) {
        for index in 0..<max(1, threads) {
            Thread { [self] in
                Self.nameOwnThread("\(name)-\(index)")
                Self.lowerOwnPriority()
                serve()
            }.start()
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func serve() -> Never {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let batch = jobs
            jobs = []
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
        }
    }

    /// The name `top -H`, `perf` and `/proc` show. A new thread inherits its creator's (an event
    /// loop's, at start-up), and Foundation's `Thread.name` does not reach the kernel's on Linux.
    private static func nameOwnThread(_ name: String) {
        #if os(Linux)
        try? name.write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
        #else
        Thread.current.name = name
        #endif
    }

    /// On Linux `setpriority(PRIO_PROCESS, 0, …)` sets the calling thread's `nice` alone; lowering
    /// one's own priority needs no privilege. Elsewhere the threads keep the process's.
    private static func lowerOwnPriority() {
        #if os(Linux)
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        errno = 0
        let current = getpriority(which, 0)
        guard errno == 0 else { return }
        _ = setpriority(which, 0, min(19, current + niceIncrement))
        #endif
    }
}
