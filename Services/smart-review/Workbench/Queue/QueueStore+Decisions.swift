import Foundation
import PostgresNIO
import ReviewWorkflow

/// The queue store's decisions, samples and item documents.
extension QueueStore {
    /// Inserts the decision; at the second level returns whether it differs from the first.
    func record(_ request: DecisionRequest, on row: ItemRow, by reviewer: Reviewer, level: ReviewLevel,
                on connection: PostgresConnection) async throws -> Bool {
        let amount = request.amount.map { "\($0)" }
        let rows = try await connection.query("""
            INSERT INTO \(unescaped: schema).review_decisions (item_id, level, reviewer, decision, amount, reason, differs)
            SELECT \(row.itemId), \(level.rawValue), \(reviewer.user), \(request.decision.rawValue), \(amount)::numeric, \(request.reason),
                   \(level == .second) AND EXISTS (SELECT 1 FROM \(unescaped: schema).review_decisions f WHERE f.item_id = \(row.itemId)
                     AND f.level = 1 AND (f.decision <> \(request.decision.rawValue) OR f.amount IS DISTINCT FROM \(amount)::numeric))
            RETURNING differs
            """, logger: database.logger)
        for try await differs in rows.decode(Bool.self) { return differs }
        return false
    }

    /// Who decided each item at which level, as `ItemHistory` for the segregation checks.
    func history(of ids: [Int64], on connection: PostgresConnection) async throws -> [Int64: ItemHistory] {
        let rows = try await connection.query("""
            SELECT item_id, level, reviewer, decided_at FROM \(unescaped: schema).review_decisions WHERE item_id = ANY(\(ids)) ORDER BY decided_at
            """, logger: database.logger)
        var histories: [Int64: ItemHistory] = [:]
        for try await (id, level, reviewer, at) in rows.decode((Int64, Int, String, Date).self) {
            let role = ReviewLevel(rawValue: level)?.reviewRole ?? .firstLevel
            histories[id, default: ItemHistory(itemID: String(id))].acts.append(ReviewAct(reviewer: reviewer, role: role, at: at))
        }
        return histories
    }

    /// First-level decisions not yet part of a second-review draw, and when the oldest was made, under the draw's lock.
    func undrawnFirstDecisions(on connection: PostgresConnection) async throws -> (decisions: [FirstDecision], oldest: Date?) {
        try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(schema + ".second_review_samples")))", logger: database.logger)
        let rows = try await connection.query("""
            SELECT d.item_id, d.reviewer, i.severity, i.amount::text, i.medins_id, d.decided_at FROM \(unescaped: schema).review_decisions d
            JOIN \(unescaped: schema).review_items i USING (item_id) WHERE d.level = 1 AND d.sample_id IS NULL
            """, logger: database.logger)
        var decisions: [FirstDecision] = [], oldest: Date?
        for try await (id, reviewer, severity, amount, medins, at) in rows.decode((Int64, String, Int, String, String, Date).self) {
            decisions.append(FirstDecision(itemID: String(id), reviewer: reviewer, severity: Severity(rawValue: severity) ?? .reminder,
                                           amount: Decimal(string: amount) ?? 0, institution: medins))
            oldest = min(oldest ?? at, at)
        }
        return (decisions, oldest)
    }

    /// The first-level decisions a stored batch draw was made from.
    func decisions(ofSample id: Int64, on connection: PostgresConnection) async throws -> [FirstDecision] {
        let rows = try await connection.query("""
            SELECT d.item_id, d.reviewer, i.severity, i.amount::text, i.medins_id FROM \(unescaped: schema).review_decisions d
            JOIN \(unescaped: schema).review_items i USING (item_id) WHERE d.level = 1 AND d.sample_id = \(id)
            """, logger: database.logger)
        var decisions: [FirstDecision] = []
        for try await (id, reviewer, severity, amount, medins) in rows.decode((Int64, String, Int, String, String).self) {
            decisions.append(FirstDecision(itemID: String(id), reviewer: reviewer, severity: Severity(rawValue: severity) ?? .reminder,
                                           amount: Decimal(string: amount) ?? 0, institution: medins))
        }
        return decisions
    }

    /// Stores a batch draw with its seed and moves its population on: the selected to the second level, the rest decided.
    func store(_ selection: Selection, on connection: PostgresConnection) async throws -> Int64 {
        let population = selection.population.compactMap(Int64.init), selected = selection.selectedItemIDs.compactMap(Int64.init)
        let sampleID = try await insertSample(selection, kind: .decisions, period: nil, on: connection)
        try await connection.query("""
            UPDATE \(unescaped: schema).review_decisions SET sample_id = \(sampleID) WHERE level = 1 AND item_id = ANY(\(population))
            """, logger: database.logger)
        try await connection.query("""
            UPDATE \(unescaped: schema).review_items
            SET state = CASE WHEN item_id = ANY(\(selected)) THEN \(ItemState.secondPending.rawValue) ELSE \(ItemState.decided.rawValue) END
            WHERE state = \(ItemState.sampling.rawValue) AND item_id = ANY(\(population))
            """, logger: database.logger)
        return sampleID
    }

    func insertSample(_ selection: Selection, kind: SampleKind, period: String?, on connection: PostgresConnection) async throws -> Int64 {
        let rows = try await connection.query("""
            INSERT INTO \(unescaped: schema).second_review_samples (seed, selection, kind, period)
            VALUES (\(String(selection.seed))::numeric, \(try jsonText(selection))::jsonb, \(kind.rawValue), \(period))
            RETURNING sample_id
            """, logger: database.logger)
        for try await id in rows.decode(Int64.self) { return id }
        throw WorkbenchError.conflict("the second-review draw was not stored")
    }

    /// A stored draw: its kind, period and selection.
    func sample(_ id: Int64, on connection: PostgresConnection) async throws -> StoredSample {
        guard let found = try await samples(where: "sample_id = \(id)", on: connection).first else {
            throw WorkbenchError.notFound("no second-review draw \(id)")
        }
        return found
    }

    /// The draw of `kind` for `period`, if made.
    func sample(_ kind: SampleKind, period: String, on connection: PostgresConnection) async throws -> StoredSample? {
        try await samples(where: "kind = '\(kind.rawValue)' AND period = '\(period.filter { $0.isNumber || $0 == "-" })'", on: connection).first
    }

    private func samples(where condition: String, on connection: PostgresConnection) async throws -> [StoredSample] {
        let rows = try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT sample_id, kind, period, selection::text FROM \(schema).second_review_samples WHERE \(condition)
            """), logger: database.logger)
        var found: [StoredSample] = []
        for try await (id, kind, period, selection) in rows.decode((Int64, String, String?, String).self) {
            found.append(StoredSample(sampleId: id, kind: SampleKind(rawValue: kind) ?? .decisions, period: period,
                                      selection: try JSONDecoder().decode(Selection.self, from: Data(selection.utf8))))
        }
        return found
    }

    /// The institution (medins_id) of each of `claims`.
    func institutions(ofClaims claims: [String], on connection: PostgresConnection) async throws -> [String: String] {
        let rows = try await connection.query("""
            SELECT claim_id, medins_id FROM \(unescaped: schema).claims WHERE claim_id = ANY(\(claims))
            """, logger: database.logger)
        var result: [String: String] = [:]
        for try await (claim, medins) in rows.decode((String, String).self) { result[claim] = medins }
        return result
    }

    /// The claims reviewed during [start, end) that the machine passed: no standing finding and no item.
    func machinePassedClaims(from start: Date, to end: Date, on connection: PostgresConnection) async throws -> [(claim: String, medins: String)] {
        let rows = try await connection.query("""
            SELECT c.claim_id, c.medins_id FROM \(unescaped: schema).claims c
            WHERE c.received_at >= \(start) AND c.received_at < \(end)
              AND NOT EXISTS (SELECT 1 FROM \(unescaped: schema).findings f WHERE f.claim_id = c.claim_id AND f.withdrawn_at IS NULL)
              AND NOT EXISTS (SELECT 1 FROM \(unescaped: schema).review_items i WHERE i.claim_id = c.claim_id)
            ORDER BY c.claim_id
            """, logger: database.logger)
        var claims: [(claim: String, medins: String)] = []
        for try await (claim, medins) in rows.decode((String, String).self) { claims.append((claim, medins)) }
        return claims
    }

    /// Puts machine-passed claims drawn for recheck straight on the second level (no finding, nothing at stake yet).
    func enqueueForRecheck(_ claims: [(claim: String, medins: String, admdvs: String)], on connection: PostgresConnection) async throws {
        guard !claims.isEmpty else { return }
        try await connection.query("""
            INSERT INTO \(unescaped: schema).review_items (claim_id, medins_id, admdvs, severity, amount, state)
            SELECT claim, medins, admdvs, \(Severity.reminder.rawValue), 0, \(ItemState.secondPending.rawValue)
            FROM unnest(\(claims.map(\.claim)), \(claims.map(\.medins)), \(claims.map(\.admdvs))) AS c(claim, medins, admdvs)
            ON CONFLICT (claim_id) DO NOTHING
            """, logger: database.logger)
    }

    /// An item with its claim as accepted, its findings with their evidence, the decisions so far and the
    /// institution's answers, as one JSON document built by PostgreSQL. `forInstitution` leaves out the
    /// names of the reviewers and their leases.
    func document(of id: Int64, forInstitution: Bool, on connection: PostgresConnection) async throws -> String {
        let hiddenItem = forInstitution ? ["lease_holder", "lease_expires_at"] : []
        let hiddenDecision = forInstitution ? ["reviewer"] : []
        let rows = try await connection.query("""
            SELECT json_build_object(
              'item', to_jsonb(i) - 'lease_claimed_at' - \(hiddenItem)::text[],
              'claim', (SELECT c.payload::json FROM \(unescaped: schema).claims c WHERE c.claim_id = i.claim_id),
              'findings', COALESCE((SELECT json_agg(jsonb_strip_nulls(f.body || jsonb_build_object('withdrawn_reason', f.withdrawn_reason))
                                             ORDER BY f.severity, f.finding_id) FROM \(unescaped: schema).findings f
                                    WHERE f.claim_id = i.claim_id), '[]'::json),
              'decisions', COALESCE((SELECT json_agg(to_jsonb(d) - 'sample_id' - \(hiddenDecision)::text[] ORDER BY d.level) FROM \(unescaped: schema).review_decisions d
                                     WHERE d.item_id = i.item_id), '[]'::json),
              'answers', COALESCE((SELECT json_agg(to_jsonb(a) ORDER BY a.answer_id) FROM \(unescaped: schema).institution_answers a
                                   WHERE a.item_id = i.item_id), '[]'::json))::text
            FROM \(unescaped: schema).review_items i WHERE i.item_id = \(id)
            """, logger: database.logger)
        for try await text in rows.decode(String.self) { return text }
        return "{}"
    }
}
