import Foundation
import Hummingbird
import PostgresNIO
import ReviewWorkflow
import ServiceKit

/// The console's lists: read-only views over the workbench's tables, always limited to the
/// reviewer's region; acting on a listed row goes through the item and case pages.
extension Console {
    func registerLists(on console: RouterGroup<PlatformRequestContext>) {
        console.get("cases") { request, _ in
            let session = try await signedIn(request, [.supervisor, .legalReviewer, .auditor], "cases.list", subject: "cases")
            let scope = session.reviewer.scopePattern
            let cases = ConsoleWords.adding("state", ConsoleWords.caseState,
                                            to: try await rows(ConsoleQueries.cases(schema: workbench.schema, condition: "c.admdvs LIKE $1"), [scope]))
            let free = session.reviewer.role == .supervisor
                ? try await rows(ConsoleQueries.confirmedItems(schema: workbench.schema, condition: "i.admdvs LIKE $1"), [scope]) : []
            let kinds = ViolationKind.allCases.map { ["value": $0.rawValue, "title": $0.title] }
            return try pages.render("cases", ["cases": cases, "items": free, "kinds": kinds, "has_items": !free.isEmpty,
                                              "supervisor": session.reviewer.role == .supervisor,
                                              "sources": CaseSourceKind.allCases.filter { $0 != .claimReview && $0 != .whistleblowerReport }
                                                  .map { ["value": $0.rawValue, "title": $0.chineseName] },
                                              "institutions": try institutions(of: session.reviewer)], session: session)
        }
        console.get("legal") { request, _ in
            let session = try await signedIn(request, [.legalReviewer], "legal.inbox", subject: "cases")
            let cases = try await rows(ConsoleQueries.cases(schema: workbench.schema, condition: "c.admdvs LIKE $1 AND c.state = 'awaitingLegalReview'"),
                                       [session.reviewer.scopePattern])
            return try pages.render("legal", ["cases": cases, "empty": cases.isEmpty], session: session)
        }
        console.get("institutions/:medins") { request, context in
            let medins = try context.parameters.require("medins")
            let session = try await signedIn(request, [.supervisor, .auditor], "institution.file_viewed", subject: "institution:\(medins)")
            let file = try await workbench.institutionFile(medins, by: session.reviewer)
            return try pages.render("institution", try institutionPage(file, medins: medins), session: session)
        }
    }

    /// The designated institutions of the reviewer's region, for a case from an inspection or a lead.
    private func institutions(of reviewer: Reviewer) throws -> [[String: String]] {
        try workbench.reference.knowledgeBase.institutions.values.filter { reviewer.covers($0.admdvs) }
            .sorted { $0.code < $1.code }.map { ["code": $0.code, "name": $0.name] }
    }

    /// The institution file (一院一档, `Workbench.institutionFile`) as the page shows it: items with
    /// their last decision and case, cases with their state, answers, refunds and rectifications.
    private func institutionPage(_ json: String, medins: String) throws -> [String: Any] {
        let file = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] ?? [:]
        let items = (file["items"] as? [[String: Any]] ?? []).map { entry -> [String: Any] in
            var item = entry["item"] as? [String: Any] ?? [:]
            item["case_id"] = entry["case_id"] ?? ""
            item["decision"] = ((entry["decisions"] as? [[String: Any]])?.last?["decision"]) ?? ""
            item["findings"] = (entry["findings"] as? [Any])?.count ?? 0
            item["decision_zh"] = ConsoleWords.verdict(item["decision"])
            item["state_zh"] = ConsoleWords.itemState(item["state"])
            item["severity_zh"] = ConsoleWords.severity(item["severity"])
            return item
        }
        let cases = ConsoleWords.adding("state", ConsoleWords.caseState, to: file["cases"] as? [[String: Any]] ?? [])
        let rectifications = ConsoleWords.adding("state", ConsoleWords.rectificationState, to: file["rectifications"] as? [[String: Any]] ?? [])
        return ["medins_id": medins, "name": (try? workbench.reference.knowledgeBase.institutions[medins]?.name) ?? "",
                "admdvs": file["admdvs"] ?? "", "items": items, "cases": cases, "answers": file["answers"] ?? [Any](),
                "refunds": file["refunds"] ?? [Any](), "rectifications": rectifications]
    }

    /// Runs a read-only listing whose columns are all text, as dictionaries for the templates.
    func rows(_ query: (sql: String, keys: [String]), _ binds: [String]) async throws -> [[String: Any]] {
        try await rows(query.sql, binds, keys: query.keys)
    }

    func rows(_ sql: String, _ binds: [String], keys: [String]) async throws -> [[String: Any]] {
        var bindings = PostgresBindings()
        for value in binds { bindings.append(value) }
        let database = workbench.database
        let result = try await database.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: database.logger)
        var list: [[String: Any]] = []
        for try await row in result {
            var values: [String: Any] = [:]
            for (key, cell) in zip(keys, row) { values[key] = ((try? cell.decode(String?.self)) ?? nil) ?? "" }
            list.append(values)
        }
        return list
    }
}

/// The listings' SQL: every column cast to text so one reader serves them all.
enum ConsoleQueries {
    static func cases(schema: String, condition: String) -> (sql: String, keys: [String]) {
        ("""
         SELECT c.case_id, c.medins_id, c.state, c.opened_by, to_char(c.opened_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'),
                COALESCE(to_char(c.published_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), '')
         FROM \(schema).cases c WHERE \(condition) ORDER BY c.opened_at DESC LIMIT 200
         """, ["case_id", "medins_id", "state", "opened_by", "opened_at", "published_at"])
    }

    /// Items confirmed at their last level and not yet in a case: what a supervisor can open a case from.
    static func confirmedItems(schema: String, condition: String) -> (sql: String, keys: [String]) {
        ("""
         SELECT i.item_id::text, i.claim_id, i.medins_id, COALESCE(d.amount::text, '') FROM \(schema).review_items i
         JOIN LATERAL (SELECT decision, amount FROM \(schema).review_decisions x WHERE x.item_id = i.item_id ORDER BY level DESC LIMIT 1) d ON true
         WHERE i.state = 'decided' AND d.decision = 'confirmed'
           AND NOT EXISTS (SELECT 1 FROM \(schema).case_items ci WHERE ci.item_id = i.item_id) AND \(condition)
         ORDER BY i.item_id LIMIT 200
         """, ["item_id", "claim_id", "medins_id", "amount"])
    }
}
