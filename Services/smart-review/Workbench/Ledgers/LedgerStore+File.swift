import Foundation
import PostgresNIO

extension LedgerStore {
    /// 一院一档 as one JSON document: items with findings and decisions, cases, answers, refunds, rectifications.
    /// `forInstitution` (the institution reading its own file) leaves out every bureau official's name: the
    /// reviewers of its items, who handled, reviewed and moved its cases, who ordered and checked its rectifications.
    func institutionFile(_ medins: String, region: String, forInstitution: Bool, on connection: PostgresConnection) async throws -> String {
        let (decisionNames, rectificationNames) = forInstitution ? (["reviewer"], ["reviewed_by", "ordered_by"]) : ([], [])
        let rows = try await connection.query("""
            SELECT json_build_object(
              'medins_id', \(medins)::text,
              'admdvs', \(region)::text,
              'items', COALESCE((SELECT json_agg(json_build_object(
                  'item', to_jsonb(i) - 'lease_holder' - 'lease_claimed_at' - 'lease_expires_at',
                  'case_id', (SELECT ci.case_id FROM \(unescaped: schema).case_items ci WHERE ci.item_id = i.item_id),
                  'findings', COALESCE((SELECT json_agg(f.body ORDER BY f.severity, f.finding_id) FROM \(unescaped: schema).findings f
                                        WHERE f.claim_id = i.claim_id), '[]'::json),
                  'decisions', COALESCE((SELECT json_agg(to_jsonb(d) - 'sample_id' - \(decisionNames)::text[] ORDER BY d.level)
                                         FROM \(unescaped: schema).review_decisions d WHERE d.item_id = i.item_id), '[]'::json))
                ORDER BY i.item_id) FROM \(unescaped: schema).review_items i WHERE i.medins_id = \(medins)), '[]'::json),
              'cases', COALESCE((SELECT json_agg(json_build_object(
                  'case_id', c.case_id, 'state', c.state, 'violation', c.violation, 'proposal', c.proposal,
                  'decision', CASE WHEN \(forInstitution) THEN (c.decision - 'handledBy' - 'legalOpinion' - 'transitions') || jsonb_build_object(
                      'legalOpinion', (c.decision->'legalOpinion') - 'reviewer',
                      'transitions', COALESCE((SELECT jsonb_agg(t - 'actor') FROM jsonb_array_elements(c.decision->'transitions') t), '[]'::jsonb))
                    ELSE c.decision END,
                  'opened_at', c.opened_at, 'published_at', c.published_at,
                  'item_ids', (SELECT json_agg(ci.item_id ORDER BY ci.item_id) FROM \(unescaped: schema).case_items ci
                               WHERE ci.case_id = c.case_id)) ORDER BY c.opened_at)
                FROM \(unescaped: schema).cases c WHERE c.medins_id = \(medins)), '[]'::json),
              'answers', COALESCE((SELECT json_agg(to_jsonb(a) ORDER BY a.answer_id) FROM \(unescaped: schema).institution_answers a
                                   WHERE a.medins_id = \(medins)), '[]'::json),
              'refunds', COALESCE((SELECT json_agg(json_build_object('answer_id', a.answer_id, 'item_id', a.item_id, 'case_id', a.case_id,
                                                                     'amount', a.refund_amount, 'refunded_on', a.refunded_on) ORDER BY a.answer_id)
                                   FROM \(unescaped: schema).institution_answers a
                                   WHERE a.medins_id = \(medins) AND a.refund_amount IS NOT NULL), '[]'::json),
              'rectifications', COALESCE((SELECT json_agg(to_jsonb(r) - \(rectificationNames)::text[] ORDER BY r.rectification_id)
                                          FROM \(unescaped: schema).rectifications r WHERE r.medins_id = \(medins)), '[]'::json))::text
            """, logger: database.logger)
        for try await text in rows.decode(String.self) { return text }
        return "{}"
    }
}
