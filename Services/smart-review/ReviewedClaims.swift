import ClaimArchive
import Events
import Persistence
import PostgresNIO
import RuleEngine

/// smart-review's copy of every accepted claim, written a run at a time into its claim archive
/// (read through `ClaimArchive`, the module intake's real-time answers read theirs with).
struct ReviewedClaims: Sendable {
    let archive: ClaimArchive
    var schema: String { archive.database.schema }

    /// A claim as `claims.accepted` delivered it, about to be stored.
    struct Received: Sendable {
        var claim: Claim
        var version: Int
        var supersedes: String?
        /// The patient record, as intake wrote it (`Patient.json`), stored as the claim's payload.
        var record: ArraySlice<UInt8>
    }

    /// Stores a run of claims with two statements; a claim stored before is left as it is.
    func store(_ received: [Received], on connection: PostgresConnection) async throws {
        guard !received.isEmpty else { return }
        let claims = received.map(\.claim)
        try await connection.query("""
            INSERT INTO \(unescaped: schema).claims (claim_id, patn_id, medins_id, dr_codg, kind, adm_date, dscg_date, version, supersedes, payload)
            SELECT id, patn, medins, NULLIF(dr, ''), kind, adm, dscg, version, NULLIF(supersedes, ''), record::json
            FROM unnest(\(claims.map(\.claimID)), \(claims.map(\.personID)), \(claims.map(\.institutionID)), \(claims.map { $0.doctor ?? "" }),
                        \(claims.map(\.kind.rawValue)), \(claims.map(\.admission.description)), \(claims.map(\.discharge.description)),
                        \(received.map(\.version)), \(received.map { $0.supersedes ?? "" }),
                        \(received.map { String(decoding: $0.record, as: UTF8.self) }))
              AS c(id, patn, medins, dr, kind, adm, dscg, version, supersedes, record)
            ON CONFLICT (claim_id) DO NOTHING
            """, logger: archive.database.logger)
        try await archive.storeTraceCodes(claims.flatMap { claim in claim.lines.flatMap(\.traceCodes).map { ($0, claim.claimID) } },
                                          on: connection)
        archive.cache.insert(claims)
    }
}
