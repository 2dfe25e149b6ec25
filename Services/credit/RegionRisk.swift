import AuditTrail
import CreditRules
import Foundation
import HISContract
import OperatorAccess
import Persistence
import PostgresNIO
import ReferenceData

/// Region risk levels (区域风险等级) per admdvs, recomputed by the bureau for a period from the
/// cases credit has received (findings, cases and amounts) over the insured persons of the
/// reference registry. Each run is kept; the latest per region is what is published (GET) and
/// what weights the inspection draw.
struct RegionRiskService: Sendable {
    let database: Database
    let reference: ReferenceData
    let model: RegionRiskModel = .default

    struct Assessment: Codable, Sendable {
        var periodStart: String
        var periodEnd: String
        var result: RegionRiskResult
    }

    func recompute(from start: CivilDate, to end: CivilDate, by person: OperatorIdentity) async throws -> [Assessment] {
        guard start <= end else { throw badRequest("period_start must not be after period_end") }
        let kb = try reference.knowledgeBase
        let insured = Dictionary(grouping: kb.persons.values, by: \.insuredRegion).mapValues(\.count)
        let figures = try await caseFigures(from: start, to: end)
        let assessments = kb.regions.keys.sorted().map { admdvs in
            let f = figures[admdvs] ?? (0, 0, 0)
            let stats = RegionStatistics(admdvs: admdvs, periodStart: start, periodEnd: end, findings: f.findings, cases: f.cases,
                                         amount: f.amount, insuredPersons: insured[admdvs] ?? 0)
            return Assessment(periodStart: start.description, periodEnd: end.description, result: model.assess(stats))
        }
        try await database.transaction { connection in
            try await AuditStore(database: database).append(by: person, "region.risk.recomputed", subject: "regions:\(start)..\(end)",
                                                            details: ["regions": "\(assessments.count)"], on: connection)
            for a in assessments {
                try await connection.query("""
                    INSERT INTO \(unescaped: database.schema).region_risk (admdvs, period_start, period_end, level, result)
                    VALUES (\(a.result.admdvs), \(a.periodStart), \(a.periodEnd), \(a.result.level.rawValue), \(try Stored.json(a))::jsonb)
                    """, logger: database.logger)
            }
        }
        return assessments
    }

    /// The latest assessment of each region.
    func latest() async throws -> [Assessment] {
        let rows = try await database.query("""
            SELECT DISTINCT ON (admdvs) result::text FROM \(unescaped: database.schema).region_risk ORDER BY admdvs, seq DESC
            """, logger: database.logger)
        var result: [Assessment] = []
        for try await text in rows.decode(String.self) { result.append(try Stored.decode(Assessment.self, text)) }
        return result
    }

    private func caseFigures(from start: CivilDate, to end: CivilDate) async throws -> [String: (cases: Int, findings: Int, amount: Decimal)] {
        let rows = try await database.query("""
            SELECT care_region, count(*)::int, COALESCE(sum(findings), 0)::int, COALESCE(sum(amount), 0)::text
            FROM \(unescaped: database.schema).cases
            WHERE decided_on >= \(start.description) AND decided_on <= \(end.description) GROUP BY care_region
            """, logger: database.logger)
        var result: [String: (cases: Int, findings: Int, amount: Decimal)] = [:]
        for try await (region, cases, findings, amount) in rows.decode((String, Int, Int, String).self) {
            result[region] = (cases, findings, Decimal(string: amount) ?? 0)
        }
        return result
    }
}

extension RegionRiskLevel {
    /// The draw's risk weight: a high-risk region's institutions are drawn twice as often.
    var drawWeight: Double { self == .high ? 2 : self == .medium ? 1.5 : 1 }
}
