import Events
import Foundation
import Hummingbird
import KnowledgeBase
import Persistence
import PostgresNIO
import ReferenceData
import ReviewStatistics

/// Per-institution figures of a period (信息披露) and the peer comparison, computed from the
/// reviewed claims, and published on `review.statistics` for the public feed and the dashboards.
/// Publishing the same figures again is one event; changed figures (late claims) are a new one.
struct Disclosure: Sendable {
    let database: Database
    let reference: ReferenceData

    func statistics(period: String) async throws -> [InstitutionStatistics] {
        guard period.count == 7, period.split(separator: "-").count == 2, period.allSatisfy({ $0.isNumber || $0 == "-" }) else {
            throw HTTPError(.badRequest, message: "period must be yyyy-MM, got '\(period)'")
        }
        let kb = try reference.knowledgeBase
        let peers = kb.institutions.mapValues { PeerGroup(type: $0.type.rawValue, level: $0.level, region: $0.admdvs) }
        return institutionStatistics(period: period, encounters: try await encounters(period), peers: peers, findings: try await findings(period))
    }

    func publish(period: String) async throws -> [InstitutionStatistics] {
        let figures = try await statistics(period: period)
        let entries = try figures.map { stats in
            let payload = stats
            var hash = FNV1a64()
            hash.add(String(decoding: try EventJSON.encoder.encode(payload), as: UTF8.self))
            let fingerprint = hash.hex
            return Outbox.Entry(try CloudEvent(id: "statistics:\(stats.institutionId):\(period):\(fingerprint)", source: "/smart-review",
                                               type: EventType.statistics, encoding: payload),
                                topic: Topic.reviewStatistics, key: stats.institutionId)
        }
        try await database.transaction { connection in
            try await Outbox.enqueue(entries, schema: database.schema, on: connection, logger: database.logger)
        }
        return figures
    }

    private func encounters(_ period: String) async throws -> [EncounterFigures] {
        let rows = try await database.query("""
            SELECT c.medins_id, c.patn_id, (e->>'medfee_sumamt')::text, coalesce(e->>'fund_pay_sumamt', '0'),
                   (SELECT coalesce(sum((o->>'sumamt')::numeric), 0)::text FROM json_array_elements(e->'fsi_order_dtos') o
                     WHERE o->>'hilist_type' IN ('101', '102'))
            FROM \(unescaped: database.schema).claims c, LATERAL (SELECT c.payload::json->'fsi_encounter_dtos'->0 AS e) x
            WHERE left(c.adm_date, 7) = \(period)
            """, logger: database.logger)
        var figures: [EncounterFigures] = []
        for try await (institution, person, total, fund, drugs) in rows.decode((String, String, String, String, String).self) {
            figures.append(EncounterFigures(institutionID: institution, personID: person, totalFees: Decimal(string: total) ?? 0,
                                            fundPayments: Decimal(string: fund) ?? 0, drugFees: Decimal(string: drugs) ?? 0))
        }
        return figures
    }

    private func findings(_ period: String) async throws -> [(institution: String, pattern: String)] {
        let rows = try await database.query("""
            SELECT f.medins_id, f.pattern FROM \(unescaped: database.schema).findings f
            JOIN \(unescaped: database.schema).claims c USING (claim_id) WHERE left(c.adm_date, 7) = \(period) AND f.withdrawn_at IS NULL
            """, logger: database.logger)
        var found: [(institution: String, pattern: String)] = []
        for try await (institution, pattern) in rows.decode((String, String).self) { found.append((institution, pattern)) }
        return found
    }
}
