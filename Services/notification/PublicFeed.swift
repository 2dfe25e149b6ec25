import Events
import Foundation
import Logging
import NotificationRules
import Persistence
import PostgresNIO

/// The public disclosure (行政执法公示, 双随机、一公开): what the public-disclosure rules send to
/// the service's own feed is kept here, anonymised by `PublicDisclosure`, and read by anyone.
struct PublicFeed: Sendable {
    let database: Database
    let baseURL: String?

    /// Called in the consuming transaction: a case the rules approve for publication becomes an
    /// anonymised entry; an inspection plan (or its results, same plan id) is kept as published.
    static func publish(_ notice: CaseNotice, event: CloudEvent, rules: RoutingRuleSet, schema: String,
                        on connection: PostgresConnection, logger: Logger) async throws {
        let own = [SubscriberDirectory.directoryEntry(SubscriberDirectory.publicFeed)]
        guard route(notice, rules: rules, subscriptions: own).delivery(to: SubscriberDirectory.publicFeed.id) != nil else { return }
        switch notice.kind {
        case .caseOutcome:
            guard let entry = PublicDisclosure.anonymise(notice, as: notice.typical == true ? .typicalCase : .enforcementResult) else { return }
            let json = String(decoding: try EventJSON.encoder.encode(entry), as: UTF8.self)
            try await connection.query("""
                INSERT INTO \(unescaped: schema).disclosures (case_id, decision_date, entry)
                VALUES (\(notice.caseId), \(notice.decisionDate), \(json)::jsonb) ON CONFLICT (case_id) DO NOTHING
                """, logger: logger)
        case .inspectionPlan:
            let plan = try InspectionPlanEvent(event)
            let json = String(decoding: try JSONEncoder().encode(plan.document), as: UTF8.self)
            try await connection.query("""
                INSERT INTO \(unescaped: schema).inspection_plans (plan_id, region, plan, published_at)
                VALUES (\(plan.planID), \(plan.region), \(json)::jsonb, \(plan.published))
                ON CONFLICT (plan_id) DO UPDATE SET plan = excluded.plan, published_at = excluded.published_at
                """, logger: logger)
        case .creditChange:
            return
        }
    }

    /// The newest entries first.
    func entries(limit: Int) async throws -> [DisclosureEntry] {
        let rows = try await database.query("""
            SELECT entry::text FROM \(unescaped: database.schema).disclosures ORDER BY decision_date DESC, case_id LIMIT \(limit)
            """, logger: database.logger)
        var entries: [DisclosureEntry] = []
        for try await json in rows.decode(String.self) {
            entries.append(try EventJSON.decoder.decode(DisclosureEntry.self, from: Data(json.utf8)))
        }
        return entries
    }

    func atom(limit: Int) async throws -> String {
        let entries = try await entries(limit: limit)
        let info = AtomFeedInfo(id: PublicDisclosure.idPrefix + "feed", title: "医疗保障基金监管行政执法公示",
                                updated: entries.first?.decisionDate ?? Date(timeIntervalSince1970: 0), authorName: "医疗保障局",
                                selfLink: baseURL.map { $0 + "/public/cases.atom" },
                                entryLinkPrefix: baseURL.map { $0 + "/public/cases/" })
        return AtomFeed.render(info, entries: entries)
    }
}
