import PostgresNIO

/// The archive's reads, prepared once per connection (`PreparedStatements.swift` in Persistence):
/// they run for every 3102 round and every review run. Tables unqualified: the session's
/// `search_path` starts with the service's schema.
enum ArchiveStatements {
    /// The claims of each person overlapping a window, and of each traceability code. Each key is
    /// looked up through its index: `LATERAL … OFFSET 0` keeps the lookup a parameterised
    /// subquery. Planned as a join or as `code = ANY(…)`, a run's hundreds of persons and
    /// thousands of codes were read by (parallel) sequential scans of the whole table whenever its
    /// statistics lagged its growth: 13 and 36 ms for a run of 500 claims where the lookups take 6
    /// and 5 ms (EXPLAIN ANALYZE on a profiled run's tables). One statement for both lookups;
    /// `UNION` also leaves each claim id once.
    struct HistoryIDs: PostgresPreparedStatement {
        static let sql = """
            SELECT h.claim_id FROM unnest($1::text[], $2::text[], $3::text[]) AS p(patn, f, t)
              CROSS JOIN LATERAL (SELECT c.claim_id FROM claims c WHERE c.patn_id = p.patn AND c.adm_date <= p.t AND c.dscg_date >= p.f OFFSET 0) h
            UNION
            SELECT s.claim_id FROM unnest($4::text[]) AS k(code)
              CROSS JOIN LATERAL (SELECT t.claim_id FROM claim_trace_codes t WHERE t.code = k.code OFFSET 0) s
            """
        typealias Row = String
        var persons: [String], from: [String], to: [String], codes: [String]

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(persons)
            bindings.append(from)
            bindings.append(to)
            bindings.append(codes)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> String { try row.decode(String.self) }
    }

    /// Other claims' outpatient visits of the doctors on the days given, and the inpatient stays
    /// of the institutions overlapping the stays given, from the archive's own columns.
    struct CapacityEpisodes: PostgresPreparedStatement {
        static let sql = """
            SELECT e.claim_id, e.medins_id, e.mdtrt_id, e.dr_codg, e.kind, e.adm_date, e.dscg_date, e.supersedes
              FROM unnest($1::text[], $2::text[]) AS d(dr, day)
              CROSS JOIN LATERAL (SELECT c.claim_id, c.medins_id, c.mdtrt_id, c.dr_codg, c.kind, c.adm_date, c.dscg_date, c.supersedes
                                    FROM claims c
                                   WHERE c.dr_codg = d.dr AND left(c.adm_date, 10) = d.day AND c.kind <> 'inpatient' OFFSET 0) e
            UNION
            SELECT e.claim_id, e.medins_id, e.mdtrt_id, e.dr_codg, e.kind, e.adm_date, e.dscg_date, e.supersedes
              FROM unnest($3::text[], $4::text[], $5::text[]) AS s(medins, adm, dscg)
              CROSS JOIN LATERAL (SELECT c.claim_id, c.medins_id, c.mdtrt_id, c.dr_codg, c.kind, c.adm_date, c.dscg_date, c.supersedes
                                    FROM claims c
                                   WHERE c.medins_id = s.medins AND c.kind = 'inpatient' AND c.adm_date <= s.dscg AND c.dscg_date >= s.adm OFFSET 0) e
            """
        typealias Row = (String, String, String, String?, String, String, String, String?)
        var doctors: [String], days: [String], institutions: [String], admissions: [String], discharges: [String]

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(doctors)
            bindings.append(days)
            bindings.append(institutions)
            bindings.append(admissions)
            bindings.append(discharges)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// Stored claims by id, with their patient records.
    struct Records: PostgresPreparedStatement {
        static let sql = "SELECT claim_id, supersedes, payload FROM claims WHERE claim_id = ANY($1::text[])"
        typealias Row = (String, String?, String)
        var claimIDs: [String]

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(claimIDs)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }
}
