import Foundation
import PlatformClient
import TestSupport

/// The four service executables as child processes, each on a free loopback port and a fresh schema
/// of its own, against the test broker and database. A small shell watchdog kills them when the test
/// process goes away, so even a crashed test run leaves no service behind: a stray one would join the
/// same consumer groups and take partitions (and so claims and cases) from the next run's services.
final class ServiceProcesses: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static let names = ["intake", "smart-review", "credit", "notification"]
    static let binDirectory = ProcessInfo.processInfo.environment["MEDSUP_BIN_DIR"]
        ?? TestEnvironment.repositoryRoot.appendingPathComponent(".build/debug").path

    let run = TestEnvironment.unique("e2e")
    let platform: Platform
    let logDirectory: URL
    private let ports: [String: Int]
    private let extra: [String: String]
    private let niceness: [String: Int]
    private var processes: [String: Process] = [:]
    private var watchdog: Process?

    /// `niceness`: services started under `nice`, as the scripts start those behind intake.
    init(extra: [String: String] = [:], niceness: [String: Int] = [:]) throws {
        var ports: [String: Int] = [:]
        for name in Self.names { ports[name] = try freePort(besides: Set(ports.values)) }
        self.ports = ports
        self.extra = extra
        self.niceness = niceness
        logDirectory = FileManager.default.temporaryDirectory.appendingPathComponent(run)
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        func url(_ name: String) -> String { "http://127.0.0.1:\(ports[name] ?? 0)" }
        platform = Platform(intake: url("intake"), review: url("smart-review"), credit: url("credit"), notification: url("notification"),
                            adminToken: TestEnvironment.operatorToken, jwtSecret: "e2e-secret-\(UUID().uuidString)")
    }

    /// Starts the four and waits until each answers `/ready`; a service that exits or stays unready fails with its log.
    func start(timeout: Duration = .seconds(120)) async throws {
        for name in Self.names { try launch(name) }
        try startWatchdog()
        for name in Self.names { try await awaitReady(name, timeout: timeout) }
    }

    /// SIGTERM to every service (a graceful stop leaves its consumer groups), SIGKILL to what is still there after 15 s.
    func stop() {
        for process in processes.values where process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(15)
        while processes.values.contains(where: \.isRunning), Date() < deadline { usleep(100_000) }
        for process in processes.values where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        if let watchdog, watchdog.isRunning { watchdog.terminate() }
        processes = [:]
    }

    func log(_ name: String) -> String {
        (try? String(contentsOf: logDirectory.appendingPathComponent("\(name).log"), encoding: .utf8)) ?? ""
    }

    private func environment(_ name: String) -> [String: String] {
        let reference = TestEnvironment.repositoryRoot.appendingPathComponent("reference/kb").path
        let own: [String: String] = [
            "HTTP_PORT": "\(ports[name] ?? 0)", "DB_SCHEMA": "\(run)_\(name.replacingOccurrences(of: "-", with: "_"))", "KAFKA_GROUP_PREFIX": "\(run).",
            "KAFKA_BROKERS": TestEnvironment.brokers, "PGHOST": "127.0.0.1", "PGPORT": "\(TestEnvironment.pgPort)", "LOG_LEVEL": "warning",
            "OPERATOR_JWT_SECRET": TestEnvironment.operatorSecret, "REVIEW_JWT_SECRET": platform.jwtSecret,
            "NOTIFY_SECRET_KEY": Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString(),
            "INTAKE_REPORT_KEY": Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString(),
            "INTAKE_REFERENCE_DIR": reference, "REVIEW_REFERENCE_DIR": reference, "CREDIT_REFERENCE_DIR": reference,
            // Every first decision draws at once (a batch of one), gaps close quickly, retries come fast.
            "REVIEW_SAMPLE_BATCH": "1", "REVIEW_RECONCILE_SECONDS": "2", "NOTIFY_RETRY_BASE_MS": "200", "NOTIFY_RETRY_MAX_MS": "1000",
            "NOTIFY_POLL_MS": "50",
        ]
        return ProcessInfo.processInfo.environment.merging(own) { _, new in new }.merging(extra) { _, new in new }
    }

    private func launch(_ name: String) throws {
        let binary = "\(Self.binDirectory)/\(name)"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw Failure(description: "no executable \(binary): run `swift build --build-tests` (or set MEDSUP_BIN_DIR)")
        }
        let process = Process()
        // Under `nice`, which execs the service: the process (and its pid) is the service's.
        let nice = niceness[name]
        process.executableURL = URL(fileURLWithPath: nice == nil ? binary : "/usr/bin/nice")
        if let nice { process.arguments = ["-n", "\(nice)", binary] }
        process.environment = environment(name)
        process.currentDirectoryURL = TestEnvironment.repositoryRoot
        let log = logDirectory.appendingPathComponent("\(name).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        processes[name] = process
    }

    /// Each thread of a running service: its name and its `nice` as the kernel reports them, and
    /// whether it is the main thread (which has the `nice` the process was started with).
    func threads(_ name: String) throws -> [(name: String, nice: Int, isMain: Bool)] {
        guard let pid = processes[name]?.processIdentifier else { throw Failure(description: "\(name) is not running") }
        let tasks = "/proc/\(pid)/task"
        return try FileManager.default.contentsOfDirectory(atPath: tasks).compactMap { tid in
            guard let comm = try? String(contentsOfFile: "\(tasks)/\(tid)/comm", encoding: .utf8),
                  let stat = try? String(contentsOfFile: "\(tasks)/\(tid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil } // a thread gone meanwhile
            // After the name in parentheses, fields 3 on: `nice` is field 19.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return (comm.trimmingCharacters(in: .whitespacesAndNewlines), Int(fields[16]) ?? .min, tid == "\(pid)")
        }
    }

    /// A shell that outlives nothing: once the test process is gone (even killed), it kills the services.
    private func startWatchdog() throws {
        let pids = processes.values.map { String($0.processIdentifier) }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; kill -KILL \(pids) 2>/dev/null"]
        try process.run()
        watchdog = process
    }

    private func awaitReady(_ name: String, timeout: Duration) async throws {
        let url = "http://127.0.0.1:\(ports[name] ?? 0)/ready", deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard processes[name]?.isRunning == true else { throw Failure(description: "\(name) exited:\n\(log(name).suffix(3000))") }
            if (try? await API.call("GET", url)) != nil { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw Failure(description: "\(name) not ready after \(timeout):\n\(log(name).suffix(3000))")
    }
}

/// A loopback port nothing listens on now, none of `taken`, below the kernel's ephemeral range
/// (32768-60999): a port the kernel chose for port 0 is free only until it hands the same one to an
/// outgoing connection (the broker's, the database's) before the service binds it, which failed a
/// run with "Address already in use". 10000-17999 is clear of the fixed ports the scripts use.
func freePort(besides taken: Set<Int> = []) throws -> Int {
    for _ in 0..<200 {
        let port = Int.random(in: 10_000..<18_000)
        if !taken.contains(port), try isFree(port) { return port }
    }
    throw ServiceProcesses.Failure(description: "no free port in 10000-17999")
}

private func isFree(_ port: Int) throws -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw ServiceProcesses.Failure(description: "socket: \(errno)") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    let length = socklen_t(MemoryLayout<sockaddr_in>.size)
    return withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 }
    }
}
