import ClaimArchive
import Foundation
import Hummingbird
import Persistence
import PostgresNIO
import ReferenceData
import RuleEngine

/// "What would this rule have caught in September": re-runs a rule-base version (the one in force,
/// or one not yet published) over the claims of a period. A dry run reports without writing; a
/// real run stores and publishes the findings it adds (stage `replay`), never a finding twice.
/// Both show what the version would withdraw: standing findings it no longer gives (same rule,
/// same detail); those stay as they are until a reviewer or later evidence withdraws them.
struct Replay: Sendable {
    let database: Database
    let reference: ReferenceData

    struct Request: Decodable, Sendable {
        /// yyyy-MM-dd, inclusive, on the admission date.
        var from: String
        var to: String
        var ruleSet: RuleSet?
        var dryRun: Bool
    }

    struct Report: Encodable, Sendable {
        var claims: Int
        var ruleSetVersion: Int
        var dryRun: Bool
        /// Findings the rules give over the period, per pattern.
        var findings: [String: Int]
        /// Of those, the ones not found before, per pattern.
        var added: [String: Int]
        /// Standing findings the version no longer gives, per pattern.
        var withdrawn: [String: Int]
    }

    func run(_ request: Request) async throws -> Report {
        guard let from = isoDay(request.from), let to = isoDay(request.to), from <= to else {
            throw HTTPError(.badRequest, message: "from and to must be yyyy-MM-dd with from <= to")
        }
        let engine = try await engine(for: request.ruleSet)
        let archive = ClaimArchive(database: database)
        var report = Report(claims: 0, ruleSetVersion: engine.rules.version, dryRun: request.dryRun, findings: [:], added: [:], withdrawn: [:])
        let store = FindingStore(database: database)
        for claimID in try await claimIDs(from: from, to: to) {
            let (findings, known, standing) = try await database.transaction { connection in
                guard let claim = try await archive.claim(claimID, on: connection) else { return ([Finding](), Set<String>(), [Finding]()) }
                let findings = engine.evaluate(claim, history: try await archive.history(around: claim, windowDays: engine.rules.historyWindowDays, on: connection))
                let known = try await existing(findings.map(\.id), on: connection)
                let standing = try await store.standing(of: [claimID], on: connection)
                if !request.dryRun {
                    _ = try await store.save(findings, stage: "replay", traceparent: nil, on: connection)
                }
                return (findings, known, standing)
            }
            for finding in findings {
                report.findings[finding.pattern, default: 0] += 1
                if !known.contains(finding.id) { report.added[finding.pattern, default: 0] += 1 }
            }
            let given = Set(findings.map { [$0.ruleID, $0.detailKey] })
            for finding in standing where !given.contains([finding.ruleID, finding.detailKey]) {
                report.withdrawn[finding.pattern, default: 0] += 1
            }
            report.claims += 1
        }
        return report
    }

    private func engine(for rules: RuleSet?) async throws -> RuleEngine {
        let current = try reference.engine
        guard let rules else { return current }
        do {
            try rules.validate()
        } catch {
            throw HTTPError(.badRequest, message: "rule set refused: \(error)")
        }
        return RuleEngine(knowledgeBase: current.knowledgeBase, rules: rules, sanctions: current.sanctions)
    }

    private func claimIDs(from: String, to: String) async throws -> [String] {
        let rows = try await database.query("""
            SELECT claim_id FROM \(unescaped: database.schema).claims
            WHERE left(adm_date, 10) BETWEEN \(from) AND \(to) ORDER BY adm_date
            """, logger: database.logger)
        var ids: [String] = []
        for try await id in rows.decode(String.self) { ids.append(id) }
        return ids
    }

    private func existing(_ ids: [String], on connection: PostgresConnection) async throws -> Set<String> {
        let rows = try await connection.query("SELECT finding_id FROM \(unescaped: database.schema).findings WHERE finding_id = ANY(\(ids))",
                                              logger: database.logger)
        var found = Set<String>()
        for try await id in rows.decode(String.self) { found.insert(id) }
        return found
    }
}

/// A yyyy-MM-dd string, checked, kept as text (it compares as the stored dates do).
private func isoDay(_ text: String) -> String? {
    text.count == 10 && text.split(separator: "-").count == 3 && text.allSatisfy({ $0.isNumber || $0 == "-" }) ? text : nil
}
