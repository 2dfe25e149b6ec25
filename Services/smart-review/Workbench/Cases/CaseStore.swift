import Foundation
import Persistence
import PostgresNIO
import ReviewWorkflow

/// The confirmed items a case is opened from: their institution, region and amount to recover.
struct ConfirmedItems: Sendable {
    var institution: String
    var region: String
    var amount: Decimal
}

/// A case's claims as the publication names them.
struct CaseClaim: Sendable {
    var id: String
    var person: String
    var doctor: String?
}

/// The standing findings of a case's claims.
struct CaseFindings: Sendable {
    var ids: [String] = []
    var patterns: [String] = []
    /// The gravest of the findings.
    var severity: Severity = .reminder
    var traceCodes: [String] = []
}

/// Cases in `cases`/`case_items`: the facts, proposal and decision kept as JSON of their own types.
struct CaseStore: Sendable {
    let database: Database
    var schema: String { database.schema }

    func insert(_ record: CaseRecord, items: [Int64], by reviewer: Reviewer, on connection: PostgresConnection) async throws {
        let (violation, proposal, decision) = try (jsonText(record.violation), jsonText(record.proposal), jsonText(record.decision))
        let (parties, evidence) = try (record.parties.map(jsonText), record.evidence.map(jsonText))
        let circumstances = try record.circumstances.map(jsonText)
        let (source, attachments) = try (record.source.map(jsonText), record.attachments.map(jsonText))
        try await connection.query("""
            INSERT INTO \(unescaped: schema).cases (case_id, medins_id, admdvs, state, violation, proposal, decision, opened_by, parties, evidence,
                                                    circumstances, policy_version, source, attachments)
            VALUES (\(record.caseId), \(record.medinsId), \(record.admdvs), \(record.state.rawValue), \(violation)::jsonb,
                    \(proposal)::jsonb, \(decision)::jsonb, \(reviewer.user), \(parties)::jsonb, \(evidence)::jsonb, \(circumstances)::jsonb,
                    \(record.policyVersion), \(source)::jsonb, \(attachments)::jsonb)
            """, logger: database.logger)
        try await connection.query("""
            INSERT INTO \(unescaped: schema).case_items (case_id, item_id) SELECT \(record.caseId), unnest(\(items))
            """, logger: database.logger)
    }

    /// The case, locked for the rest of the transaction.
    func load(_ caseID: String, on connection: PostgresConnection) async throws -> CaseRecord {
        let rows = try await connection.query("""
            SELECT medins_id, admdvs, violation::text, proposal::text, decision::text, parties::text, evidence::text, circumstances::text,
                   policy_version, source::text, attachments::text
            FROM \(unescaped: schema).cases
            WHERE case_id = \(caseID) FOR UPDATE
            """, logger: database.logger)
        let decoder = JSONDecoder()
        for try await (medins, region, violation, proposal, decision, parties, evidence, circumstances, policyVersion, source, attachments)
            in rows.decode((String, String, String, String, String, String?, String?, String?, Int?, String?, String?).self) {
            return CaseRecord(caseId: caseID, medinsId: medins, admdvs: region,
                              violation: try decoder.decode(ViolationCase.self, from: Data(violation.utf8)),
                              proposal: try decoder.decode(Proposal.self, from: Data(proposal.utf8)),
                              decision: try decoder.decode(CaseDecision.self, from: Data(decision.utf8)),
                              parties: try parties.map { try decoder.decode(CaseParties.self, from: Data($0.utf8)) },
                              evidence: try evidence.map { try decoder.decode(EvidencePeople.self, from: Data($0.utf8)) },
                              circumstances: try circumstances.map { try decoder.decode(CaseCircumstances.self, from: Data($0.utf8)) },
                              policyVersion: policyVersion,
                              source: try source.map { try decoder.decode(CaseSource.self, from: Data($0.utf8)) },
                              attachments: try attachments.map { try decoder.decode([AttachedEvidence].self, from: Data($0.utf8)) })
        }
        throw WorkbenchError.notFound("no case \(caseID)")
    }

    func save(_ record: CaseRecord, on connection: PostgresConnection) async throws {
        let (proposal, decision, parties) = try (jsonText(record.proposal), jsonText(record.decision), record.parties.map(jsonText))
        let circumstances = try record.circumstances.map(jsonText)
        try await connection.query("""
            UPDATE \(unescaped: schema).cases SET state = \(record.state.rawValue), proposal = \(proposal)::jsonb, decision = \(decision)::jsonb,
                   parties = COALESCE(\(parties)::jsonb, parties), circumstances = COALESCE(\(circumstances)::jsonb, circumstances),
                   policy_version = COALESCE(\(record.policyVersion), policy_version),
                   published_at = CASE WHEN \(record.state.rawValue) = 'published' THEN COALESCE(published_at, now()) END
            WHERE case_id = \(record.caseId)
            """, logger: database.logger)
    }

    /// The institution, region and confirmed amount of items that may form one case, locked.
    func confirmedItems(_ ids: [Int64], by reviewer: Reviewer, on connection: PostgresConnection) async throws -> ConfirmedItems {
        let rows = try await connection.query("""
            SELECT i.item_id, i.medins_id, i.admdvs, i.state, d.decision, d.amount::text,
                   EXISTS (SELECT 1 FROM \(unescaped: schema).case_items c WHERE c.item_id = i.item_id)
            FROM \(unescaped: schema).review_items i
            JOIN LATERAL (SELECT decision, amount FROM \(unescaped: schema).review_decisions x WHERE x.item_id = i.item_id
                          ORDER BY level DESC LIMIT 1) d ON true
            WHERE i.item_id = ANY(\(ids)) FOR UPDATE OF i
            """, logger: database.logger)
        var institutions = Set<String>(), regions = Set<String>(), amount = Decimal(0), found = 0
        for try await (id, medins, region, state, decision, decided, inCase) in rows.decode((Int64, String, String, String, String, String?, Bool).self) {
            try reviewer.requireScope(region)
            guard state == ItemState.decided.rawValue, decision == DecisionRequest.Verdict.confirmed.rawValue, !inCase else {
                throw WorkbenchError.conflict("item \(id) is not a confirmed violation free for a case (\(state), \(decision))")
            }
            institutions.insert(medins)
            regions.insert(region)
            amount += Decimal(string: decided ?? "0") ?? 0
            found += 1
        }
        guard found == Set(ids).count, found > 0 else { throw WorkbenchError.notFound("some items do not exist or are undecided") }
        guard institutions.count == 1, let institution = institutions.first, let region = regions.first else {
            throw WorkbenchError.malformed("a case covers the items of one institution")
        }
        return ConfirmedItems(institution: institution, region: region, amount: amount)
    }

    /// The people the items' claims name: each insured person, attending doctor and doctor who ordered a
    /// line (开单医生, `drord_dr_codg`). The stored record is the patient's as sent, so the ordering doctors
    /// are those of its encounters; a patient record holds the encounters of one call.
    func evidencePeople(of items: [Int64], institution: String, isPharmacy: Bool,
                        on connection: PostgresConnection) async throws -> EvidencePeople {
        let rows = try await connection.query("""
            SELECT c.patn_id, c.dr_codg, ARRAY(SELECT DISTINCT o->>'drord_dr_codg'
                     FROM json_array_elements(COALESCE(c.payload::json->'fsi_encounter_dtos', '[]'::json)) e,
                          json_array_elements(COALESCE(e->'fsi_order_dtos', '[]'::json)) o
                     WHERE COALESCE(o->>'drord_dr_codg', '') <> '')
            FROM \(unescaped: schema).review_items i JOIN \(unescaped: schema).claims c ON c.claim_id = i.claim_id
            WHERE i.item_id = ANY(\(items))
            """, logger: database.logger)
        var people = EvidencePeople(institution: institution, institutionIsPharmacy: isPharmacy, practitioners: [], insuredPersons: [])
        for try await (person, doctor, ordering) in rows.decode((String, String?, [String]).self) {
            people.insuredPersons.insert(person)
            people.practitioners.formUnion(ordering + (doctor.map { [$0] } ?? []))
        }
        return people
    }

    func claims(of caseID: String, on connection: PostgresConnection) async throws -> [CaseClaim] {
        let rows = try await connection.query("""
            SELECT c.claim_id, c.patn_id, c.dr_codg FROM \(unescaped: schema).case_items ci
            JOIN \(unescaped: schema).review_items i USING (item_id) JOIN \(unescaped: schema).claims c ON c.claim_id = i.claim_id
            WHERE ci.case_id = \(caseID) ORDER BY c.claim_id
            """, logger: database.logger)
        var claims: [CaseClaim] = []
        for try await (id, person, doctor) in rows.decode((String, String, String?).self) { claims.append(CaseClaim(id: id, person: person, doctor: doctor)) }
        return claims
    }

    func findings(of claims: [String], on connection: PostgresConnection) async throws -> CaseFindings {
        let rows = try await connection.query("""
            SELECT finding_id, pattern, severity FROM \(unescaped: schema).findings WHERE claim_id = ANY(\(claims)) AND withdrawn_at IS NULL ORDER BY finding_id
            """, logger: database.logger)
        var found = CaseFindings(), patterns = Set<String>()
        for try await (id, pattern, level) in rows.decode((String, String, Int).self) {
            found.ids.append(id)
            patterns.insert(pattern)
            found.severity = max(found.severity, Severity(rawValue: level) ?? .reminder)
        }
        found.patterns = patterns.sorted()
        let codes = try await connection.query("""
            SELECT DISTINCT code FROM \(unescaped: schema).claim_trace_codes WHERE claim_id = ANY(\(claims)) ORDER BY code
            """, logger: database.logger)
        for try await code in codes.decode(String.self) { found.traceCodes.append(code) }
        return found
    }

    /// The institution's published cases other than `caseID`, oldest first: its history of confirmed violations.
    func publishedCases(of institution: String, on connection: PostgresConnection) async throws -> [String] {
        let rows = try await connection.query("""
            SELECT case_id FROM \(unescaped: schema).cases WHERE medins_id = \(institution) AND state = 'published' ORDER BY published_at, case_id
            """, logger: database.logger)
        var ids: [String] = []
        for try await id in rows.decode(String.self) { ids.append(id) }
        return ids
    }

    /// The proposals of the published cases among `ids` (行政处罚决定), for a report's recovered amount.
    func publishedProposals(_ ids: [String], on connection: PostgresConnection) async throws -> [Proposal] {
        let rows = try await connection.query("""
            SELECT proposal::text FROM \(unescaped: schema).cases WHERE case_id = ANY(\(ids)) AND state = 'published'
            """, logger: database.logger)
        var proposals: [Proposal] = []
        for try await proposal in rows.decode(String.self) { proposals.append(try JSONDecoder().decode(Proposal.self, from: Data(proposal.utf8))) }
        return proposals
    }

    /// The cases among `ids`, with their regions.
    func regions(of ids: [String], on connection: PostgresConnection) async throws -> [String: String] {
        let rows = try await connection.query("""
            SELECT case_id, admdvs FROM \(unescaped: schema).cases WHERE case_id = ANY(\(ids))
            """, logger: database.logger)
        var found: [String: String] = [:]
        for try await (id, region) in rows.decode((String, String).self) { found[id] = region }
        return found
    }
}
