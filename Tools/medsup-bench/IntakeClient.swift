import Foundation
import HISContract
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The two ways a hospital pushes settlements into intake, as the benchmarks drive them: the bulk
/// NDJSON path and the national 3102 call, with each institution's credential issued once.
struct IntakeClient: Sendable {
    let baseURL: String
    let adminToken: String

    /// Issues (or rotates) the institution's credential through the operator API.
    func credential(_ institution: String) async throws -> String {
        var request = URLRequest(url: URL(string: "\(baseURL)/api/admin/credentials/\(institution)")!)
        request.httpMethod = "PUT"
        request.setValue("Bearer \(adminToken)", forHTTPHeaderField: "Authorization")
        let (data, _) = try await URLSession.shared.data(for: request)
        guard let secret = (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["secret"] as? String else {
            throw BenchError("no credential for \(institution): \(String(decoding: data, as: UTF8.self))")
        }
        return "\(institution):\(secret)"
    }

    /// One bulk request of NDJSON settlements of one institution; returns how many were new.
    func bulk(_ lines: [String], batch: String, credential: String) async throws -> Int {
        let data = try await post("/api/his/bulk?batch=\(batch)", Data(lines.joined(separator: "\n").utf8), credential: credential)
        guard let report = try JSONSerialization.jsonObject(with: data) as? [String: Any], (report["rejected"] as? [Any])?.isEmpty == true else {
            throw BenchError("bulk push refused: \(String(decoding: data.prefix(500), as: UTF8.self))")
        }
        return report["accepted"] as? Int ?? 0
    }

    /// One national 3102 call (事前事中 review of settlements); throws unless intake answered infcode 0.
    func review(_ request: HISRequest<ReviewInput>, credential: String) async throws {
        let data = try await post("/api/his", try HISJSON.encoder.encode(request), credential: credential)
        guard (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["infcode"] as? Int == 0 else {
            throw BenchError("3102 refused: \(String(decoding: data.prefix(500), as: UTF8.self))")
        }
    }

    private func post(_ path: String, _ body: Data, credential: String) async throws -> Data {
        var request = URLRequest(url: URL(string: baseURL + path)!)
        request.httpMethod = "POST"
        request.httpBody = body
        request.timeoutInterval = 600
        request.setValue("Bearer \(credential)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let (data, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else {
            throw BenchError("\(path): HTTP \((response as? HTTPURLResponse)?.statusCode ?? 0) \(String(decoding: data.prefix(300), as: UTF8.self))")
        }
        return data
    }
}
