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

    /// Stores a run of claims not stored before (`stored(_:on:)`, each once), copied in (COPY)
    /// with their traceability codes.
    func store(_ received: [Received], on connection: PostgresConnection) async throws {
        guard !received.isEmpty else { return }
        var rows = CopyRows(capacity: received.reduce(0) { $0 + $1.record.count + 256 })
        for item in received {
            let claim = item.claim
            rows.text(claim.claimID)
            rows.text(claim.personID)
            rows.text(claim.institutionID)
            rows.text(claim.encounterID)
            rows.text(claim.doctor.flatMap { $0.isEmpty ? nil : $0 })
            rows.text(claim.kind.rawValue)
            rows.text(claim.admission.description)
            rows.text(claim.discharge.description)
            rows.int(item.version)
            rows.text(item.supersedes.flatMap { $0.isEmpty ? nil : $0 })
            rows.bytes(item.record)
            rows.endRow()
        }
        try await connection.copy(rows, into: "claims", columns: ["claim_id", "patn_id", "medins_id", "mdtrt_id", "dr_codg", "kind", "adm_date", "dscg_date",
                                                                  "version", "supersedes", "payload"], schema: schema, logger: archive.database.logger)
        let claims = received.map(\.claim)
        try await archive.storeTraceCodes(claims.flatMap { claim in claim.lines.flatMap(\.traceCodes).map { ($0, claim.claimID) } }, on: connection)
        archive.cache.insert(claims)
    }

    /// Which of these claims are stored already (and so reviewed: both happen in one transaction).
    func stored(_ claimIDs: [String], on connection: PostgresConnection) async throws -> Set<String> {
        Set(try await connection.rows(StoredClaims(claimIDs: claimIDs), logger: archive.database.logger))
    }
}

/// Prepared: it runs for every run of claims consumed.
private struct StoredClaims: BoundStatement {
    static let sql = "SELECT claim_id FROM claims WHERE claim_id = ANY($1::text[])"
    typealias Row = String
    var claimIDs: [String]
    var bindings: PostgresBindings { PostgresBindings(claimIDs) }
}
