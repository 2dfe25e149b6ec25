import AsyncHTTPClient
import Foundation
import HISContract
import NIOCore
import NIOHTTP1

/// The two ways a hospital pushes settlements into intake, as the benchmarks drive them: the bulk
/// NDJSON path and the national 3102 call, with each institution's credential issued once.
///
/// On AsyncHTTPClient (kept-alive connections on NIO): the pusher runs on the same two cores as the
/// platform it measures, and FoundationNetworking's URLSession cost it ~540 µs of CPU a claim
/// (scripts/profile.sh), a quarter of the machine at 1,000 settlements/s.
struct IntakeClient: Sendable {
    let baseURL: String
    let adminToken: String
    /// Bulk pushes and the operator API.
    let http: HTTPClient
    /// National calls, on connections of their own: a HIS's cashier desks do not queue behind its
    /// upload job. Sharing one pool of 32, a 3102 call at 2,000 settlements/s waited for a connection
    /// most of its 0.5-8 s at the pusher while intake answered it within 250 ms (its histogram).
    let callHTTP: HTTPClient
    /// How long a request is retried while intake does not answer or answers 503 (a restart, a
    /// database away): 20 s for a measurement, minutes for a push through faults.
    var patience: Duration = .seconds(20)

    /// Runs `body` with a client whose connections are closed when it returns.
    static func with<T: Sendable>(baseURL: String, adminToken: String, patience: Duration = .seconds(20),
                                  _ body: (IntakeClient) async throws -> T) async throws -> T {
        var configuration = HTTPClient.Configuration()
        // Open loop: requests are issued on schedule and wait for one of these connections (a
        // latency counts from the moment it was due), as a province's HIS systems would hold.
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 32)
        // A request past the limit waits for a connection as long as for its answer (an overloaded
        // platform is measured, not timed out at the client's 10 s default).
        configuration.timeout.connect = .seconds(600)
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let callHTTP = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let result = try await body(IntakeClient(baseURL: baseURL, adminToken: adminToken, http: http, callHTTP: callHTTP, patience: patience))
            try await http.shutdown()
            try await callHTTP.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            try? await callHTTP.shutdown()
            throw error
        }
    }

    /// Issues (or rotates) the institution's credential through the operator API.
    func credential(_ institution: String) async throws -> String {
        let data = try await send("/api/admin/credentials/\(institution)", method: .PUT, body: nil, authorization: adminToken)
        guard let secret = (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["secret"] as? String else {
            throw BenchError("no credential for \(institution): \(String(decoding: data, as: UTF8.self))")
        }
        return "\(institution):\(secret)"
    }

    /// A credential for each institution, issued once each (issuing one replaces its previous secret,
    /// so a run takes all it needs before it pushes).
    func credentials(_ institutions: Set<String>) async throws -> [String: String] {
        var credentials: [String: String] = [:]
        for institution in institutions { credentials[institution] = try await credential(institution) }
        return credentials
    }

    /// One bulk request of NDJSON settlements of one institution; returns how many were new.
    func bulk(_ lines: [String], batch: String, credential: String) async throws -> Int {
        try await bulk(body: Self.ndjson(lines), batch: batch, credential: credential)
    }

    /// The same with the body already joined (a load plan joins its requests before the clock starts).
    func bulk(body: ByteBuffer, batch: String, credential: String) async throws -> Int {
        let data = try await send("/api/his/bulk?batch=\(batch)", body: body, authorization: credential)
        guard let report = try JSONSerialization.jsonObject(with: data) as? [String: Any], (report["rejected"] as? [Any])?.isEmpty == true else {
            throw BenchError("bulk push refused: \(String(decoding: data.prefix(500), as: UTF8.self))")
        }
        return report["accepted"] as? Int ?? 0
    }

    /// One national 3102 call (事前事中 review of settlements), already encoded (a load plan encodes
    /// its calls before the clock starts: encoding at the departure was ~500 µs of the pusher's CPU a
    /// call, on the cores it measures); throws unless intake answered infcode 0.
    func review(body: ByteBuffer, credential: String) async throws {
        let data = try await send("/api/his", body: body, authorization: credential, through: callHTTP)
        guard (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["infcode"] as? Int == 0 else {
            throw BenchError("3102 refused: \(String(decoding: data.prefix(500), as: UTF8.self))")
        }
    }

    /// intake's metrics in Prometheus' text format.
    func metrics() async throws -> String {
        String(decoding: try await send("/metrics", method: .GET, body: nil, authorization: adminToken), as: UTF8.self)
    }

    static func ndjson(_ lines: [String]) -> ByteBuffer { ByteBuffer(string: lines.joined(separator: "\n")) }

    static func call(_ request: HISRequest<ReviewInput>) throws -> ByteBuffer { ByteBuffer(data: try HISJSON.encoder.encode(request)) }

    private func send(_ path: String, method: HTTPMethod = .POST, body: ByteBuffer?, authorization: String,
                      through client: HTTPClient? = nil) async throws -> Data {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(authorization)")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(body)
        }
        let (response, data) = try await executeRetrying(request, through: client ?? http)
        guard response.status == .ok else {
            throw BenchError("\(path): HTTP \(response.status.code) \(String(decoding: data.prefix(300), as: UTF8.self))")
        }
        return data
    }

    /// "Retry the same request shortly" (503: the platform shed load; no answer: intake restarting)
    /// is what a HIS does; a bulk batch id and a 3102 msgid make the repeat change nothing.
    private func executeRetrying(_ request: HTTPClientRequest, through client: HTTPClient) async throws -> (HTTPClientResponse, Data) {
        let deadline = ContinuousClock.now + patience
        while true {
            do {
                let answer = try await execute(request, through: client)
                if answer.0.status != .serviceUnavailable || ContinuousClock.now > deadline { return answer }
            } catch where ContinuousClock.now < deadline && !(error is CancellationError) {}
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    private func execute(_ request: HTTPClientRequest, through client: HTTPClient) async throws -> (HTTPClientResponse, Data) {
        let response = try await client.execute(request, timeout: .seconds(600))
        return (response, Data(buffer: try await response.body.collect(upTo: 64 << 20)))
    }
}
