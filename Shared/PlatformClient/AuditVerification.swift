import AuditChain
import Foundation

/// `medsup verify-audit`: every service's chain (`GET /api/audit/chain`, as an auditor) against the
/// heads announced for it on notification's public feed (`/public/audit-heads`). A chain that was
/// cut after a head was published, or an entry rewritten, re-hashed or not, is named.
public enum AuditVerification {
    public struct Report: Sendable {
        public var service: String
        public var entries: Int
        public var publishedHeads: Int
        public var findings: [ChainFinding]

        public var summary: String {
            let state = findings.isEmpty ? "valid" : "BROKEN"
            return (["\(service): \(state), \(entries) entries, \(publishedHeads) published heads"] + findings.map { "  - \($0)" })
                .joined(separator: "\n")
        }
    }

    struct PublishedHead: Decodable {
        var service: String
        var chain: String
        var sequence: UInt64
        var hash: String
    }

    public static func check(_ platform: Platform) async throws -> [Report] {
        let heads = try await API.call([PublishedHead].self, "GET", "\(platform.notification)/public/audit-heads")
        var reports: [Report] = []
        for (service, url) in platform.services {
            let data = try await API.call("GET", "\(url)/api/audit/chain", token: platform.adminToken)
            let stored = try AuditJSON.decoder.decode(StoredChain.self, from: data)
            let published = heads.filter { $0.service == service && $0.chain == stored.chain }.map { AuditHead(sequence: $0.sequence, hash: $0.hash) }
            reports.append(Report(service: service, entries: stored.entries.count, publishedHeads: published.count,
                                  findings: ChainCheck.findings(stored.entries, publishedHeads: published)))
        }
        return reports
    }
}
