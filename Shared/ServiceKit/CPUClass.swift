import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The CPU class a service's threads run in (`SERVICE_CPU_CLASS`, read once before any thread of
/// the service starts). `idle` is Linux's SCHED_IDLE class, which gives the threads a core only
/// when no ordinary thread wants it and takes it back the moment one does: for the services behind
/// intake (smart-review, credit, notification) on intake's host, where at a lower `nice` the
/// review's threads keep a core for their slice when intake's wake up. Measured at 2,000
/// settlements/s on 2 cores it is not a clear gain (README, Performance, session 19), so it is not
/// the default. Lowering one's own class needs no privilege, so a container can do it too.
public enum CPUClass: String, Sendable {
    /// The kernel's ordinary class (SCHED_OTHER), at the process's `nice`.
    case normal
    /// SCHED_IDLE.
    case idle

    /// From `SERVICE_CPU_CLASS` (default `normal`); a value that is neither is a configuration error.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> CPUClass {
        let value = environment["SERVICE_CPU_CLASS"] ?? "normal"
        guard let cpuClass = CPUClass(rawValue: value) else {
            throw ConfigurationError(variable: "SERVICE_CPU_CLASS", problem: "must be normal or idle, got '\(value)'")
        }
        return cpuClass
    }

    /// Puts every thread of the process in the class; threads started later inherit it from the
    /// thread that starts them.
    public func apply() throws {
        guard self == .idle else { return }
        #if os(Linux)
        try apply(to: FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").compactMap { pid_t($0) })
        #endif
    }

    #if os(Linux)
    /// Puts the given threads (kernel thread ids) in the class.
    public func apply(to threads: [pid_t]) throws {
        var parameters = sched_param(sched_priority: 0)
        for thread in threads where sched_setscheduler(thread, self == .idle ? Self.schedIdle : SCHED_OTHER, &parameters) != 0 {
            throw ConfigurationError(variable: "SERVICE_CPU_CLASS", problem: "\(rawValue) refused by the kernel: \(String(cString: strerror(errno)))")
        }
    }
    #endif

    /// `SCHED_IDLE` of <sched.h>, which Glibc's Swift module leaves out (it is behind `_GNU_SOURCE`).
    static let schedIdle: Int32 = 5
}
