import Foundation
import Hummingbird
import Logging
import NIOCore
import NotificationRules
import ServiceLifecycle

/// A real HTTP receiver on 127.0.0.1 (a random free port), run inside the test: it records
/// every request and answers 503 while `failures` lasts, after an optional delay.
final class Receiver: @unchecked Sendable {
    struct Received: Sendable {
        var headers: [String: String]
        var body: Data
        var at: ContinuousClock.Instant
        var answered: Int
    }

    private let lock = NSLock()
    private var failuresLeft: Int
    private var log: [Received] = []
    private let delay: Duration
    private var task: Task<Void, Never>?
    private(set) var port = 0

    init(failures: Int = 0, delay: Duration = .zero) {
        self.failuresLeft = failures
        self.delay = delay
    }

    var url: String { "http://127.0.0.1:\(port)/hook" }
    var requests: [Received] { lock.withLock { log } }
    var delivered: [Received] { requests.filter { $0.answered == 200 } }
    func setFailures(_ count: Int) { lock.withLock { failuresLeft = count } }

    func start() async throws {
        let router = Router()
        router.post("/hook") { [self] request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            if delay > .zero { try await Task.sleep(for: delay) }
            let status = answer(headers: Dictionary(request.headers.map { ($0.name.canonicalName, $0.value) }) { a, _ in a },
                                body: Data(buffer: body))
            return Response(status: .init(code: status))
        }
        let ready = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in ready.continuation.yield(channel.localAddress?.port ?? 0) },
                              logger: Self.quiet)
        task = Task { try? await app.runService(gracefulShutdownSignals: []) }
        for await port in ready.stream {
            self.port = port
            break
        }
    }

    /// The server's own shutdown chatter is not the test's concern.
    private static let quiet: Logger = {
        var logger = Logger(label: "receiver")
        logger.logLevel = .critical
        return logger
    }()

    func stop() async {
        task?.cancel()
        _ = await task?.value
    }

    private func answer(headers: [String: String], body: Data) -> Int {
        lock.withLock {
            let status = failuresLeft > 0 ? 503 : 200
            if failuresLeft > 0 { failuresLeft -= 1 }
            log.append(Received(headers: headers, body: body, at: .now, answered: status))
            return status
        }
    }

    /// Verifies a received request with the given secrets (Standard Webhooks).
    static func verify(_ received: Received, secrets: [String]) -> Bool {
        let parsed = secrets.compactMap { try? WebhookSecret($0) }
        return (try? WebhookVerifier(secrets: parsed).verify(headers: received.headers, body: received.body, now: Date())) != nil
    }
}
