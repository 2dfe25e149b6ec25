import ClaimArchive
import Persistence
import PostgresNIO
import RuleEngine

/// A settlement round's reads in one round trip (`settlement_round_reads`, planned once a session):
/// its calls' msgids taken (`TakeMessages`), their encounters locked and the claims already recorded
/// for them read (`EncounterClaims`), and the history of their claims with the records of the claims
/// it names (`ClaimArchive`). Each was a round trip of its own in every 3102 round, and under load
/// each round trip waits for intake and PostgreSQL to be scheduled again.
///
/// The history is read around every call of the round, also one whose msgid turns out taken (rare:
/// a retry racing its first send); its claims only add stored claims of their own persons and codes.
struct SettlementReads: BoundStatement {
    static let sql = function.call
    static let function = PlannedOnce(
        function: "settlement_round_reads", arguments: Array(repeating: "text[]", count: 6 + HistoryRequest.argumentCount),
        returns: """
            TABLE (part text, claim text, institution text, encounter text, doctor text, kind text, admission text, discharge text,
                   supersedes text, payload text, version int)
            """,
        writes: true,
        body: """
            SELECT 'msgid'::text, m.taken, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::int
              FROM \(TakeMessages.function.function)($1, $2, $3) AS m
            UNION ALL
            SELECT 'encounter', e.claim, e.institution, e.encounter, NULL, NULL, NULL, NULL, e.supersedes, NULL, e.version
              FROM \(EncounterClaims.function.function)($4, $5, $6) AS e
            UNION ALL
            SELECT 'history', h.claim, h.institution, h.encounter, h.doctor, h.kind, h.admission, h.discharge, h.supersedes, h.payload, NULL
              FROM \(HistoryRequest.withRecordsCall(argumentsFrom: 7)) AS h
            """)

    /// One row: a msgid taken, a claim recorded for an encounter, or a row of the history lookup.
    enum Row {
        case taken(String)
        case existing(EncounterClaims.Row)
        case history(HistoryRow)
    }

    var messages: [(msgid: String, infno: String, institution: String)]
    var encounters: EncounterClaims
    var history: HistoryRequest

    var bindings: PostgresBindings {
        var bindings = PostgresBindings(messages.map(\.msgid), messages.map(\.infno), messages.map(\.institution))
        encounters.bind(into: &bindings)
        history.bind(into: &bindings)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let (part, claim, institution, encounter, doctor, kind, admission, discharge, supersedes, payload, version)
            = try row.decode((String, String, String?, String?, String?, String?, String?, String?, String?, String?, Int?).self)
        switch part {
        case "msgid": return .taken(claim)
        case "encounter": return .existing((claim, institution ?? "", encounter ?? "", version ?? 0, supersedes))
        default:
            return .history(HistoryRow(claimID: claim, institution: institution, encounter: encounter, doctor: doctor, kind: kind,
                                       admission: admission, discharge: discharge, supersedes: supersedes, record: payload))
        }
    }
}

/// What a settlement round's reads found.
struct SettlementRoundReads: Sendable {
    /// The msgids this round took.
    var taken: Set<String>
    /// The claims already recorded for the round's encounters, read under their locks.
    var existing: [EncounterClaims.Row]
    /// The history of the round's claims.
    var history: InMemoryHistory
}

extension ClaimStore {
    /// A settlement round's reads (`SettlementReads`), in one statement: `recording`, every draft
    /// the round may record (the calls' among them), whose encounters are locked and read.
    func reads(for calls: [SettlementCall], recording drafts: [ClaimDraft], on connection: PostgresConnection) async throws -> SettlementRoundReads {
        let claims = calls.flatMap(\.claims)
        let statement = SettlementReads(messages: calls.map { ($0.msgid, $0.infno, $0.institution) },
                                        encounters: EncounterClaims(institutions: drafts.map(\.encounter.medinsId), encounters: drafts.map(\.encounter.mdtrtId)),
                                        history: archive.historyRequest(around: claims, windowDays: calls.map(\.windowDays).max() ?? 0))
        var taken = Set<String>(), existing: [EncounterClaims.Row] = [], history: [HistoryRow] = []
        for row in try await connection.rows(statement, logger: logger) {
            switch row {
            case let .taken(msgid): taken.insert(msgid)
            case let .existing(claim): existing.append(claim)
            case let .history(row): history.append(row)
            }
        }
        return SettlementRoundReads(taken: taken, existing: existing,
                                    history: try await archive.archived(history, around: claims, on: connection).history)
    }
}
