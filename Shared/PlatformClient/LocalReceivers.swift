import Foundation
import Hummingbird
import Logging
import NIOCore
import NotificationRules

/// Agencies' webhook receivers hosted on loopback by the demo or a test: one HTTP listener, one path
/// per receiver (`/receivers/{id}`). Each request is verified with the receiver's signing secrets
/// (Standard Webhooks) and counted once per `webhook-id`, so a redelivery shows as a duplicate.
public final class LocalReceivers: @unchecked Sendable {
    public struct Delivery: Sendable {
        public var webhookID: String
        /// The envelope's `subject`: the case id of a case notice.
        public var subject: String
        public var noticeType: String
        public var body: Data
    }

    public struct Tally: Sendable {
        public var deliveries: [Delivery] = []
        /// Requests whose `webhook-id` had been received before.
        public var duplicates = 0
        /// Requests refused because no held secret verified them.
        public var badSignatures = 0
        /// The (unverified) subjects of those refused requests, for a test to tell its case from others.
        public var refusedSubjects: [String] = []
    }

    private let lock = NSLock()
    private var secrets: [String: [WebhookSecret]] = [:]
    private var tallies: [String: Tally] = [:]
    private var task: Task<Void, Never>?
    public private(set) var port = 0

    public init() {}

    public func url(of receiver: String) -> String { "http://127.0.0.1:\(port)/receivers/\(receiver)" }

    /// Hands the receiver its signing secret ("whsec_…"), as an agency's operator would configure it.
    public func trust(_ receiver: String, secret: String) throws {
        let parsed = try WebhookSecret(secret)
        lock.withLock { secrets[receiver, default: []].append(parsed) }
    }

    public func tally(_ receiver: String) -> Tally { lock.withLock { tallies[receiver] ?? Tally() } }

    public var receivers: [String] { lock.withLock { tallies.keys.sorted() } }

    /// Starts listening on a free loopback port.
    public func start() async throws {
        let router = Router()
        router.post("/receivers/:id") { [self] request, context -> Response in
            let body = Data(buffer: try await request.body.collect(upTo: 4 << 20))
            let headers = Dictionary(request.headers.map { ($0.name.canonicalName, $0.value) }) { first, _ in first }
            return Response(status: receive(try context.parameters.require("id"), headers: headers, body: body))
        }
        let ready = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "receivers")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { ready.continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
        task = Task { try? await app.runService(gracefulShutdownSignals: []) }
        for await port in ready.stream {
            self.port = port
            break
        }
    }

    public func stop() async {
        task?.cancel()
        _ = await task?.value
    }

    /// 401 for a request no secret verifies (notification retries it); 200 otherwise.
    private func receive(_ receiver: String, headers: [String: String], body: Data) -> HTTPResponse.Status {
        lock.withLock {
            let verifier = WebhookVerifier(secrets: secrets[receiver] ?? [])
            let envelope = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
            guard (try? verifier.verify(headers: headers, body: body, now: Date())) != nil else {
                tallies[receiver, default: Tally()].badSignatures += 1
                tallies[receiver, default: Tally()].refusedSubjects.append(envelope["subject"] as? String ?? "")
                return .unauthorized
            }
            let id = headers.first { $0.key.lowercased() == "webhook-id" }?.value ?? ""
            if tallies[receiver]?.deliveries.contains(where: { $0.webhookID == id }) == true {
                tallies[receiver, default: Tally()].duplicates += 1
                return .ok
            }
            tallies[receiver, default: Tally()].deliveries.append(
                Delivery(webhookID: id, subject: envelope["subject"] as? String ?? "", noticeType: envelope["notice_type"] as? String ?? "",
                         body: body))
            return .ok
        }
    }
}
