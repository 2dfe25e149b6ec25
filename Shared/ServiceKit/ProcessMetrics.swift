import Foundation
import Metrics

/// The usual `process_*` figures of a Prometheus client, read from `/proc/self` (Linux; on another
/// system they stay absent). swift-prometheus has no process collector, so this small one does it.
struct ProcessMetrics: Sendable {
    private let resident = Gauge(label: "process_resident_memory_bytes")
    private let virtual = Gauge(label: "process_virtual_memory_bytes")
    private let cpu = Gauge(label: "process_cpu_seconds_total")
    private let threads = Gauge(label: "process_threads")
    private let openFDs = Gauge(label: "process_open_fds")
    private let start = Gauge(label: "process_start_time_seconds")

    /// Clock ticks per second and page size, as `sysconf` gives them.
    private static let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
    private static let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))

    func update() {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return }
        // Fields after "(comm)": state is field 3, so index 0 here is field 3.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        func field(_ number: Int) -> Double? { Double(fields[number - 3]) }
        guard fields.count > 21, let utime = field(14), let stime = field(15), let count = field(20),
              let started = field(22), let vsize = field(23), let rss = field(24) else { return }
        cpu.record((utime + stime) / Self.ticks)
        threads.record(count)
        virtual.record(vsize)
        resident.record(rss * Self.pageSize)
        if let boot = Self.bootTime { start.record(boot + started / Self.ticks) }
        if let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") { openFDs.record(descriptors.count) }
    }

    /// Seconds since the epoch at boot (`btime` of /proc/stat), for the start time.
    private static let bootTime: Double? = {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first { $0.hasPrefix("btime ") }.flatMap { Double($0.dropFirst(6)) }
    }()
}
