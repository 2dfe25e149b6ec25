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

    /// Stores a run of claims: those not stored before are copied in (COPY), with their
    /// traceability codes. Each arrives once through the inbox; the check keeps a claim stored by
    /// another path (a replay) from failing the run.
    func store(_ received: [Received], on connection: PostgresConnection) async throws {
        guard !received.isEmpty else { return }
        let stored = try await alreadyStored(received.map(\.claim.claimID), on: connection)
        var copied = Set<String>(), rows = CopyRows(capacity: received.reduce(0) { $0 + $1.record.count + 256 })
        for item in received where !stored.contains(item.claim.claimID) && copied.insert(item.claim.claimID).inserted {
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
        try await archive.storeTraceCodes(claims.filter { copied.contains($0.claimID) }.flatMap { claim in
            claim.lines.flatMap(\.traceCodes).map { ($0, claim.claimID) }
        }, on: connection)
        archive.cache.insert(claims)
    }

    private func alreadyStored(_ claimIDs: [String], on connection: PostgresConnection) async throws -> Set<String> {
        let rows = try await connection.query("SELECT claim_id FROM \(unescaped: schema).claims WHERE claim_id = ANY(\(claimIDs))",
                                              logger: archive.database.logger)
        var stored = Set<String>()
        for try await id in rows.decode(String.self) { stored.insert(id) }
        return stored
    }
}
