import Persistence
import PostgresNIO

/// The archive's reads, prepared once per connection (`PreparedStatements.swift` in Persistence):
/// they run for every 3102 round and every review run. Tables unqualified: the session's
/// `search_path` starts with the service's schema.
enum ArchiveStatements {
    /// Everything the history of a run needs from the archive, in one statement (a 3102 round
    /// and a review run each read it once): the ids of the claims of each person overlapping a
    /// window and of each traceability code (`UNION`: each id once); then, as episodes, the
    /// outpatient visits of each doctor on a day and the inpatient stays of each institution
    /// overlapping a stay. A person's claims are read from the earliest admission that could still
    /// meet the window, and an institution's stays up to the latest discharge that could still
    /// meet the stay (`ClaimArchive.boundedWindowIndexes`), not from the first or to the last.
    /// Each key is looked up through its index: `LATERAL … OFFSET 0` keeps
    /// the lookup a parameterised subquery. Planned as a join or as `code = ANY(…)`, a run's
    /// hundreds of persons and thousands of codes were read by (parallel) sequential scans of the
    /// whole table whenever its statistics lagged its growth: 13 and 36 ms for a run of 500 claims
    /// where the lookups take 6 and 5 ms (EXPLAIN ANALYZE on a profiled run's tables).
    struct History: BoundStatement {
        /// Through `archive_history` (`ClaimArchive.historyPlannedOnce`).
        static let sql = function.call
        static let function = PlannedOnce(
            function: "archive_history", arguments: Array(repeating: "text[]", count: 11),
            returns: "TABLE (claim text, institution text, encounter text, doctor text, kind text, admission text, discharge text, supersedes text)",
            body: lookup)
        /// The lookup itself.
        static let lookup = """
            SELECT ids.claim_id, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text FROM (
              SELECT h.claim_id FROM unnest($1::text[], $2::text[], $3::text[], $10::text[]) AS p(patn, f, t, earliest)
                CROSS JOIN LATERAL (
                  (SELECT c.claim_id FROM claims c
                    WHERE c.patn_id = p.patn AND left(c.dscg_date, 7) = left(c.adm_date, 7)
                      AND c.adm_date >= p.earliest AND c.adm_date <= p.t AND c.dscg_date >= p.f OFFSET 0)
                  UNION ALL
                  (SELECT c.claim_id FROM claims c
                    WHERE c.patn_id = p.patn AND left(c.dscg_date, 7) <> left(c.adm_date, 7)
                      AND c.dscg_date >= p.f AND c.adm_date <= p.t OFFSET 0)) h
              UNION
              SELECT s.claim_id FROM unnest($4::text[]) AS k(code)
                CROSS JOIN LATERAL (SELECT t.claim_id FROM claim_trace_codes t WHERE t.code = k.code OFFSET 0) s) ids
            UNION ALL
            SELECT e.claim_id, e.medins_id, e.mdtrt_id, e.dr_codg, e.kind, e.adm_date, e.dscg_date, e.supersedes FROM (
              SELECT v.claim_id, v.medins_id, v.mdtrt_id, v.dr_codg, v.kind, v.adm_date, v.dscg_date, v.supersedes
                FROM unnest($5::text[], $6::text[]) AS d(dr, day)
                CROSS JOIN LATERAL (SELECT c.claim_id, c.medins_id, c.mdtrt_id, c.dr_codg, c.kind, c.adm_date, c.dscg_date, c.supersedes
                                      FROM claims c
                                     WHERE c.dr_codg = d.dr AND left(c.adm_date, 10) = d.day AND c.kind <> 'inpatient' OFFSET 0) v
              UNION
              SELECT v.claim_id, v.medins_id, v.mdtrt_id, v.dr_codg, v.kind, v.adm_date, v.dscg_date, v.supersedes
                FROM unnest($7::text[], $8::text[], $9::text[], $11::text[]) AS s(medins, adm, dscg, latest)
                CROSS JOIN LATERAL (
                  (SELECT c.claim_id, c.medins_id, c.mdtrt_id, c.dr_codg, c.kind, c.adm_date, c.dscg_date, c.supersedes
                     FROM claims c
                    WHERE c.medins_id = s.medins AND c.kind = 'inpatient' AND left(c.dscg_date, 7) = left(c.adm_date, 7)
                      AND c.dscg_date >= s.adm AND c.dscg_date <= s.latest AND c.adm_date <= s.dscg OFFSET 0)
                  UNION ALL
                  (SELECT c.claim_id, c.medins_id, c.mdtrt_id, c.dr_codg, c.kind, c.adm_date, c.dscg_date, c.supersedes
                     FROM claims c
                    WHERE c.medins_id = s.medins AND c.kind = 'inpatient' AND left(c.dscg_date, 7) <> left(c.adm_date, 7)
                      AND c.dscg_date >= s.adm AND c.adm_date <= s.dscg OFFSET 0)) v) e
            """
        typealias Row = HistoryRow

        var persons: [String], from: [String], to: [String], codes: [String]
        var doctors: [String], days: [String], institutions: [String], admissions: [String], discharges: [String]
        /// Per person window: the earliest admission of a claim within one calendar month that can meet it.
        var earliest: [String]
        /// Per stay: the latest discharge of a stay within one calendar month that can meet it.
        var latest: [String]

        var bindings: PostgresBindings {
            var bindings = PostgresBindings()
            bind(into: &bindings)
            return bindings
        }

        func bind(into bindings: inout PostgresBindings) {
            for column in [persons, from, to, codes, doctors, days, institutions, admissions, discharges, earliest, latest] { bindings.append(texts: column) }
        }

        func decodeRow(_ row: PostgresRow) throws -> Row {
            let (id, institution, encounter, doctor, kind, admission, discharge, supersedes)
                = try row.decode((String, String?, String?, String?, String?, String?, String?, String?).self)
            return Row(claimID: id, institution: institution, encounter: encounter, doctor: doctor, kind: kind, admission: admission,
                       discharge: discharge, supersedes: supersedes, record: nil)
        }
    }

    /// The history lookup with each claim's record (and what it supersedes) in the same round trip,
    /// for a reader whose cache seldom holds them: intake's 3102 rounds read records after ~80% of
    /// their lookups (pg_stat_statements under `scripts/profile.sh`), a second round trip in the
    /// settlement's time. Episodes have no record.
    struct HistoryWithRecords: BoundStatement {
        /// Through `archive_history_records` (`ClaimArchive.historyWithRecordsPlannedOnce`).
        static let sql = function.call
        static let function = PlannedOnce(
            function: "archive_history_records", arguments: History.function.arguments,
            returns: "TABLE (claim text, institution text, encounter text, doctor text, kind text, admission text, discharge text, supersedes text, payload text)",
            body: """
                SELECT h.claim, h.institution, h.encounter, h.doctor, h.kind, h.admission, h.discharge, coalesce(h.supersedes, r.supersedes), r.payload
                  FROM (\(History.lookup)) AS h(claim, institution, encounter, doctor, kind, admission, discharge, supersedes)
                  LEFT JOIN LATERAL (SELECT c.supersedes, c.payload FROM claims c WHERE h.institution IS NULL AND c.claim_id = h.claim OFFSET 0) r ON true
                """)
        typealias Row = HistoryRow
        var history: History
        var bindings: PostgresBindings { history.bindings }

        func decodeRow(_ row: PostgresRow) throws -> Row {
            let (id, institution, encounter, doctor, kind, admission, discharge, supersedes, record)
                = try row.decode((String, String?, String?, String?, String?, String?, String?, String?, String?).self)
            return Row(claimID: id, institution: institution, encounter: encounter, doctor: doctor, kind: kind, admission: admission,
                       discharge: discharge, supersedes: supersedes, record: record)
        }
    }

    /// Stored claims by id, with their patient records.
    struct Records: BoundStatement {
        /// Through `archive_records` (`ClaimArchive.recordsPlannedOnce`).
        static let sql = function.call
        static let function = PlannedOnce(function: "archive_records", arguments: ["text[]"],
                                          returns: "TABLE (claim text, supersedes text, payload text)",
                                          body: "SELECT c.claim_id, c.supersedes, c.payload FROM claims c WHERE c.claim_id = ANY($1::text[])")
        typealias Row = (String, String?, String)
        var claimIDs: [String]
        var bindings: PostgresBindings { PostgresBindings(claimIDs) }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }
}
