import ClaimArchive
import Events
import Foundation
import HISContract
import Logging
import Persistence
import PostgresNIO
import RuleEngine

/// A settlement about to be recorded: one patient with exactly one encounter.
struct ClaimDraft: Sendable {
    var patient: Patient
    var msgid: String
    var trigScen: Int
    /// The trace of the request that brought it, carried by its event.
    var traceparent: String?
    /// The record's bytes as received, when they may be carried as they are (a bulk line or a 3102
    /// `patient_dtos` record of one encounter that the strict scanner read); otherwise the record
    /// is written from `patient`.
    var received: [UInt8]? = nil

    var encounter: Encounter { patient.fsiEncounterDtos[0] }
    var claimID: String {
        ClaimAccepted.claimId(institution: encounter.medinsId, encounter: encounter.mdtrtId, settlement: encounter.setlId ?? "")
    }
}

/// What became of a draft: a new claim (perhaps a new version of an encounter), or a retry of
/// one already recorded.
struct RecordedClaim: Sendable {
    var claimID: String
    var version: Int
    var supersedes: String?
    var isNew: Bool
    /// A new claim's `claims.accepted` payload, for the relay once its transaction has committed
    /// (`ClaimStore.remember`).
    var event: [UInt8]? = nil
}

/// Writes accepted claims and their `claims.accepted` events in the caller's transaction, in
/// set-based statements so that a batch of thousands is a handful of round trips.
struct ClaimStore: Sendable {
    /// The archive the real-time answers read their history from (module ClaimArchive).
    let archive: ClaimArchive
    /// The events of claims committed by this process and not yet published, which the relay takes
    /// from memory instead of reading each record back (`payloads(_:on:)`).
    var events = EventCache(capacity: 0, key: \.claimID)
    var database: Database { archive.database }
    var schema: String { database.schema }
    var logger: Logger { database.logger }

    /// Records `drafts` (and stores the `answers` of a round's settlement calls with them). `existing`:
    /// the claims already recorded for their encounters, when the round has read them under their
    /// locks already (`SettlementReads`); otherwise they are read here.
    func record(_ drafts: [ClaimDraft], answers: StoreAnswers = StoreAnswers(), existing: [EncounterClaims.Row]? = nil,
                on connection: PostgresConnection) async throws -> [RecordedClaim] {
        let known = if let existing { Known(existing) } else {
            Known(try await connection.rows(EncounterClaims(institutions: drafts.map(\.encounter.medinsId), encounters: drafts.map(\.encounter.mdtrtId)),
                                            logger: logger))
        }
        var latest = known.latestVersion
        var recorded: [RecordedClaim] = []
        var fresh: [(ClaimDraft, RecordedClaim)] = []
        var freshByID: [String: RecordedClaim] = [:]
        for draft in drafts {
            if let claim = known.claims[draft.claimID] ?? freshByID[draft.claimID] {
                recorded.append(RecordedClaim(claimID: claim.claimID, version: claim.version, supersedes: claim.supersedes, isNew: false))
                continue
            }
            let encounterKey = EncounterKey(institution: draft.encounter.medinsId, encounter: draft.encounter.mdtrtId)
            let previous = latest[encounterKey]
            let claim = RecordedClaim(claimID: draft.claimID, version: (previous?.version ?? 0) + 1, supersedes: previous?.claimID, isNew: true)
            latest[encounterKey] = (claim.claimID, claim.version)
            fresh.append((draft, claim))
            freshByID[claim.claimID] = claim
            recorded.append(claim)
        }
        // The patient record is encoded once, or not at all when its received bytes can be carried:
        // stored as the claim's payload and carried in its event.
        let records = fresh.map { $0.0.received ?? $0.0.patient.json }, now = Date()
        try await write(fresh, payloads: records, acceptedAt: now, answers: answers, on: connection)
        guard events.capacity > 0 else { return recorded }
        // The event as the relay would write it from the stored row: `EventJSON.timestamp` writes the
        // same millisecond from `now` as from the time stored.
        var written: [String: [UInt8]] = [:]
        for ((draft, claim), record) in zip(fresh, records) {
            written[claim.claimID] = ClaimAccepted.json(claimId: claim.claimID, version: claim.version, supersedes: claim.supersedes,
                                                        msgid: draft.msgid, trigScen: draft.trigScen, acceptedAt: now, patientJSON: record)
        }
        return recorded.map { claim in
            var claim = claim
            if claim.isNew { claim.event = written[claim.claimID] }
            return claim
        }
    }

    /// The events of a committed transaction's new claims, for the relay. Only after the commit:
    /// a round rolled back must leave nothing that another process could commit differently.
    func remember(_ recorded: [RecordedClaim]) {
        events.insert(recorded.compactMap { claim in claim.event.map { AcceptedEvent(claimID: claim.claimID, payload: $0) } })
    }

    struct AcceptedEvent: Sendable {
        var claimID: String
        var payload: [UInt8]
    }

    typealias EventCache = BoundedCache<AcceptedEvent>

    /// The claims already recorded for a round's encounters: retries, and the latest version of each.
    private struct Known {
        var claims: [String: RecordedClaim] = [:]
        var latestVersion: [EncounterKey: (claimID: String, version: Int)] = [:]

        init(_ rows: [EncounterClaims.Row]) {
            for (claimID, medins, mdtrt, version, supersedes) in rows {
                claims[claimID] = RecordedClaim(claimID: claimID, version: version, supersedes: supersedes, isNew: false)
                let key = EncounterKey(institution: medins, encounter: mdtrt)
                if version > latestVersion[key]?.version ?? 0 { latestVersion[key] = (claimID, version) }
            }
        }
    }

    /// An encounter by its two parts (a string joined with `/` would let `A`, `B/C` meet `A/B`, `C`).
    private struct EncounterKey: Hashable {
        var institution: String
        var encounter: String
    }

    /// The round's writes in one statement (`CombinedWrites`, planned once: `RoundWrites`): the new claims (their ids were
    /// checked absent under the encounter locks), their traceability codes, their events, and the
    /// answers of its settlement calls. Four statements were four round trips, each waiting under
    /// load for intake and PostgreSQL to be scheduled again. Not a COPY: a COPY is two round trips,
    /// and a round holds a few claims to a few dozen — a settlement call's usually one or two —
    /// where the round trips, not the rows, were the cost; PostgreSQL takes the rows of `unnest` as
    /// fast as COPY's text (20,000 claims of ~3 KB: 296-336 ms against 383 ms).
    private func write(_ fresh: [(ClaimDraft, RecordedClaim)], payloads: [[UInt8]], acceptedAt: Date, answers: StoreAnswers,
                       on connection: PostgresConnection) async throws {
        guard !fresh.isEmpty || !answers.isEmpty else { return }
        let codes = TraceCodeRows(fresh.flatMap { draft, claim in
            draft.encounter.fsiOrderDtos.flatMap { $0.drugTracCodg ?? [] }.map { ($0, claim.claimID) }
        })
        try await RoundWrites(NewClaims(fresh, payloads: payloads, acceptedAt: EventJSON.timestamp(acceptedAt)), codes,
                              Outbox.MemberRows(events(of: fresh, acceptedAt: acceptedAt)), answers).run(on: connection, logger: logger)
    }

    /// A round's writes, through a procedure planned once a session (`PlannedWrites`; its migration in `IntakeMigrations`).
    typealias RoundWrites = PlannedWrites<NewClaims, TraceCodeRows, Outbox.MemberRows, StoreAnswers>

    /// The `claims.accepted` events, by reference: the claim just stored is their payload, read
    /// back by the relay (`payloads(_:on:)`). A second copy of every record in the outbox was
    /// intake's heaviest COPY, and 24 hours of published rows held a day of claims twice; then a row
    /// per claim was its third (60 µs of PostgreSQL's time a claim): a round's events are one row
    /// of members, each with its own event id, key (the person) and trace.
    private func events(of fresh: [(ClaimDraft, RecordedClaim)], acceptedAt now: Date) -> [Outbox.Entry] {
        guard let first = fresh.first else { return [] }
        let members = fresh.map { draft, claim in
            Outbox.Member(eventID: ClaimAccepted.eventID(claimId: claim.claimID), key: draft.patient.patnId, payloadReference: claim.claimID,
                          traceparent: draft.traceparent)
        }
        // The row's own id names the round by its first event (unique: that claim is new in it).
        let round = CloudEvent(id: "round:" + members[0].eventID, source: "/intake", type: EventType.claimAccepted, time: now,
                               traceparent: first.0.traceparent, data: [])
        return [Outbox.Entry(round, topic: Topic.claimsAccepted, members: members)]
    }
}

/// A round's new claims, a column per array (one of the round's writes).
struct NewClaims: WriteFragment {
    static let sql = """
        INSERT INTO claims (claim_id, medins_id, mdtrt_id, setl_id, version, supersedes, patn_id, msgid, trig_scen, adm_date, dscg_date,
                            dr_codg, kind, payload, accepted_at)
        SELECT id, medins, mdtrt, setl, version, NULLIF(supersedes, ''), patn, msgid, scen, adm, dscg, NULLIF(dr, ''), kind, payload,
               $15::timestamptz
          FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int8[], $6::text[], $7::text[], $8::text[], $9::int8[],
                      $10::text[], $11::text[], $12::text[], $13::text[], $14::text[])
               AS c(id, medins, mdtrt, setl, version, supersedes, patn, msgid, scen, adm, dscg, dr, kind, payload)
        """
    private let ids, institutions, encounters, settlements, supersedes, persons, msgids, admissions, discharges, doctors, kinds: [String]
    /// The records as received or written once, bound from their bytes.
    private let payloads: [TextBytes]
    private let versions, scenes: [Int]
    private let acceptedAt: String

    init(_ fresh: [(ClaimDraft, RecordedClaim)], payloads: [[UInt8]], acceptedAt: String) {
        let encounters = fresh.map(\.0.encounter)
        ids = fresh.map(\.1.claimID)
        institutions = encounters.map(\.medinsId)
        self.encounters = encounters.map(\.mdtrtId)
        settlements = encounters.map { $0.setlId ?? "" }
        versions = fresh.map(\.1.version)
        // An empty supersedes or doctor is NULL (PostgresNIO has no arrays of optionals).
        supersedes = fresh.map { $0.1.supersedes ?? "" }
        persons = fresh.map(\.0.patient.patnId)
        msgids = fresh.map(\.0.msgid)
        scenes = fresh.map(\.0.trigScen)
        admissions = encounters.map(\.admDate)
        discharges = encounters.map(\.dscgDate)
        doctors = encounters.map { $0.drCodg ?? "" }
        kinds = encounters.map { EncounterKind(medMdtrtType: $0.medMdtrtType)?.rawValue ?? "" }
        self.payloads = payloads.map(TextBytes.init)
        self.acceptedAt = acceptedAt
    }

    func bind(into bindings: inout PostgresBindings) {
        for column in [ids, institutions, encounters, settlements] { bindings.append(texts: column) }
        bindings.append(versions)
        for column in [supersedes, persons, msgids] { bindings.append(texts: column) }
        bindings.append(scenes)
        for column in [admissions, discharges, doctors, kinds] { bindings.append(texts: column) }
        bindings.append(payloads)
        bindings.append(acceptedAt)
    }
}

/// The claims already recorded for a set of encounters, read once their locks are taken (prepared:
/// it runs in every round). Two calls may carry settlements of one encounter at once (a
/// settlement and its correction): the versions of an encounter are numbered one round at a
/// time, under a transaction-scoped advisory lock per encounter, taken in key order so that two
/// rounds taking the same keys cannot deadlock. Through `encounter_claims`, planned once a session
/// (`PlannedOnce`: for its values, this join was ~120 µs of PostgreSQL's CPU a round,
/// pg_stat_statements), which takes the locks first in the same round trip (a round trip of its
/// own in every round before).
struct EncounterClaims: BoundStatement {
    static let sql = function.call
    static let function = PlannedOnce(
        function: "encounter_claims", arguments: ["text[]", "text[]", "text[]"],
        returns: "TABLE (claim text, institution text, encounter text, version int, supersedes text)",
        lockingKeysOf: 3,
        // Each encounter's claims through the index on (medins_id, mdtrt_id, version).
        body: """
            SELECT c.claim_id, c.medins_id, c.mdtrt_id, c.version, c.supersedes FROM unnest($1::text[], $2::text[]) AS k(medins, mdtrt)
              CROSS JOIN LATERAL (SELECT e.claim_id, e.medins_id, e.mdtrt_id, e.version, e.supersedes FROM claims e
                                   WHERE e.medins_id = k.medins AND e.mdtrt_id = k.mdtrt OFFSET 0) c
            """)
    typealias Row = (String, String, String, Int, String?)
    var institutions: [String], encounters: [String]
    var bindings: PostgresBindings {
        var bindings = PostgresBindings()
        bind(into: &bindings)
        return bindings
    }

    /// Its three arguments, after a caller's own (`SettlementReads`).
    func bind(into bindings: inout PostgresBindings) {
        bindings.append(texts: institutions)
        bindings.append(texts: encounters)
        bindings.append(texts: Array(Set(zip(institutions, encounters).map { "encounter:\($0)/\($1)" })))
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

extension ClaimStore: OutboxPayloadSource {
    /// The `claims.accepted` payload of each stored claim: the event's members around the record
    /// as stored (as received, or as written once), with the acceptance time of its event.
    func payloads(_ claimIDs: [String], on connection: PostgresConnection) async throws -> [String: [UInt8]] {
        let (remembered, missing) = events.lookup(claimIDs)
        var payloads = Dictionary(remembered.map { ($0.claimID, $0.payload) }, uniquingKeysWith: { first, _ in first })
        guard !missing.isEmpty else { return payloads }
        let rows = try await connection.query("""
            SELECT claim_id, version, supersedes, msgid, trig_scen, accepted_at, payload FROM \(unescaped: schema).claims WHERE claim_id = ANY(\(missing))
            """, logger: logger)
        for try await (claimID, version, supersedes, msgid, trigScen, acceptedAt, record)
            in rows.decode((String, Int, String?, String, Int, Date, ByteBuffer).self) {
            payloads[claimID] = ClaimAccepted.json(claimId: claimID, version: version, supersedes: supersedes, msgid: msgid, trigScen: trigScen,
                                                       acceptedAt: acceptedAt, patientJSON: Array(record.readableBytesView))
        }
        return payloads
    }
}
