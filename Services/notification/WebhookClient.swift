import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import NotificationRules
import Timing

/// POSTs a delivery's body with the Standard Webhooks headers, signed with every active secret
/// of the subscriber. Any 2xx is a delivery; anything else, a timeout or a refused connection is
/// a failed attempt, recorded and retried.
struct WebhookClient: Sendable {
    private let session: URLSession
    private let timeout: TimeInterval

    init(timeout: Duration, maxConnections: Int) {
        self.timeout = timeout.inSeconds
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = self.timeout
        configuration.timeoutIntervalForResource = self.timeout
        // One slow host must not hold the connections another host needs.
        configuration.httpMaximumConnectionsPerHost = maxConnections
        session = URLSession(configuration: configuration)
    }

    func post(_ delivery: ClaimedDelivery) async -> AttemptOutcome {
        guard let url = delivery.url.flatMap(URL.init(string:)) else {
            return AttemptOutcome(delivered: false, error: "subscriber has no valid url")
        }
        let secrets = delivery.secrets.compactMap { try? WebhookSecret($0) }
        guard !secrets.isEmpty else { return AttemptOutcome(delivered: false, error: "subscriber has no active signing secret") }
        let body = Data(delivery.body.utf8)
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        for (name, value) in WebhookSigner(secrets: secrets).sign(id: delivery.id, timestamp: Date(), body: body).dictionary {
            request.setValue(value, forHTTPHeaderField: name)
        }
        do {
            // FoundationNetworking deadlocks when the awaiting task is cancelled as the answer arrives:
            // URLSessionTask.cancel() runs under the task's status lock and waits for the session's
            // queue, which waits for that lock to resume the task (seen in the tests, stopping the
            // dispatcher mid-delivery). The request runs in a task of its own, which cancellation
            // does not reach; the session's timeout bounds it.
            let (data, response) = try await Task { [session] in try await session.data(for: request) }.value
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            return AttemptOutcome(delivered: (200..<300).contains(status), httpStatus: status,
                                  response: String(decoding: data.prefix(500), as: UTF8.self))
        } catch {
            return AttemptOutcome(delivered: false, error: "\(error.localizedDescription)")
        }
    }
}
