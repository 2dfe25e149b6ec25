import Foundation
import HISContract
import Logging
import Persistence
import PostgresNIO
import RuleEngine

/// The claim history (既往就诊记录) of the patterns that need more than one claim, read from a
/// service's archive of accepted claims: intake's for the real-time answers, smart-review's for
/// the full review. One module, so both see the same history of a claim.
///
/// The archive is two tables of the service's schema: `claims`, one row per settlement with
/// `claim_id`, `patn_id`, `medins_id`, `dr_codg`, `kind`, `adm_date`, `dscg_date` and its patient
/// record as `payload`; and `claim_trace_codes` (`code`, `claim_id`). Each service writes its own
/// rows (they carry more columns); reading is here. Everything is set-based: the history of a run of a
/// thousand claims is two statements, and claims this process decoded before come from `cache`.
public struct ClaimArchive: Sendable {
    public let database: Database
    public let cache: ClaimCache
    /// Whether the history lookup brings the records of the claims it names in the same round trip
    /// (`ArchiveStatements.HistoryWithRecords`), for a reader whose cache seldom holds them; otherwise
    /// only what the cache misses is read, in a second statement.
    public let recordsWithHistory: Bool

    public init(database: Database, cache: ClaimCache = ClaimCache(capacity: 0), recordsWithHistory: Bool = false) {
        self.database = database
        self.cache = cache
        self.recordsWithHistory = recordsWithHistory
    }

    /// Serialises the claims that could complete a cross-person pattern together (a doctor's day,
    /// an institution's beds): an advisory lock per key, for the rest of the transaction.
    public func lockCapacityKeys(of claims: [Claim], on connection: PostgresConnection) async throws {
        let keys = Set(claims.flatMap { claim -> [String] in
            if claim.kind == .inpatient { return ["beds:\(claim.institutionID)"] }
            if let doctor = claim.doctor { return ["doctor:\(doctor):\(claim.admission.date)"] }
            return []
        })
        try await AdvisoryLocks(keys).take(on: connection, logger: database.logger)
    }

    /// The stored claims the history patterns may need for these claims, the claims themselves
    /// left out: each person's encounters that overlap `windowDays` on either side
    /// (late claims complete patterns too; give the rule set's `historyWindowDays`) and earlier sales
    /// of their traceability codes, as whole claims; their doctors' outpatient visits that day and
    /// their institutions' overlapping stays, as episodes (P19 counts them, other persons' claims).
    public func history(around claims: [Claim], windowDays: Int, on connection: PostgresConnection) async throws -> InMemoryHistory {
        try await records(around: claims, windowDays: windowDays, on: connection).history
    }

    /// What `history(around:)` reads, as lists: whole claims in claim-id order, then the episodes.
    public func records(around claims: [Claim], windowDays: Int, on connection: PostgresConnection) async throws -> ArchivedHistory {
        let statement = historyRequest(around: claims, windowDays: windowDays).statement
        let rows = recordsWithHistory ? try await connection.rows(ArchiveStatements.HistoryWithRecords(history: statement), logger: database.logger)
            : try await connection.rows(statement, logger: database.logger)
        return try await archived(rows, around: claims, on: connection)
    }

    /// The history from the rows of a lookup, made here or by a statement of the caller's that
    /// makes it with its own reads (`HistoryRequest`): the claims named, from the cache, from the
    /// rows' records when they bring them, or else read; the episodes as the rows give them.
    public func archived(_ rows: [HistoryRow], around claims: [Claim], on connection: PostgresConnection) async throws -> ArchivedHistory {
        let own = Set(claims.map(\.claimID))
        let (ids, episodes) = split(rows)
        var (found, missing) = cache.lookup(ids.filter { !own.contains($0) })
        if !missing.isEmpty {
            // Only a claim's row carries a record (an episode's has none).
            let brought = Dictionary(rows.lazy.compactMap { row in row.record.map { (row.claimID, (row.supersedes, $0)) } }) { first, _ in first }
            var read = try missing.compactMap { id in try brought[id].map { try Self.decode(id, $0.0, $0.1) } }
            let unread = missing.filter { brought[$0] == nil }
            if !unread.isEmpty { read += try await load(unread, on: connection) }
            cache.insert(read)
            found += read
        }
        return ArchivedHistory(claims: found.sorted { $0.claimID < $1.claimID },
                               episodes: episodes.filter { !own.contains($0.claimID) }.sorted { $0.claimID < $1.claimID })
    }

    /// The lookup's arguments for these claims (`ArchiveStatements.History`): the ids of the claims
    /// of the persons' windows and of the traceability codes, and the doctors' outpatient visits on
    /// the claims' days and the institutions' stays overlapping theirs as episodes, from the
    /// archive's own columns (no claim record is read or decoded for a count).
    public func historyRequest(around claims: [Claim], windowDays: Int) -> HistoryRequest {
        let windows = claims.map { window($0, days: windowDays) }
        let outpatient = claims.filter { $0.kind == .outpatient && $0.doctor != nil }, stays = claims.filter { $0.kind == .inpatient }
        return HistoryRequest(statement: ArchiveStatements.History(
            persons: claims.map(\.personID), from: windows.map(\.from), to: windows.map(\.to),
            codes: Array(Set(claims.flatMap { $0.lines.flatMap(\.traceCodes) })),
            doctors: outpatient.map { $0.doctor ?? "" }, days: outpatient.map(\.admission.date.description),
            institutions: stays.map(\.institutionID), admissions: stays.map(\.admission.description), discharges: stays.map(\.discharge.description),
            earliest: windows.map(\.earliest), latest: stays.map(latestDischarge)))
    }

    /// A lookup's rows: the ids of whole claims, and the episodes.
    private func split(_ rows: [HistoryRow]) -> (ids: [String], episodes: [Episode]) {
        var ids: [String] = [], episodes: [Episode] = []
        for row in rows {
            guard let institution = row.institution else {
                ids.append(row.claimID)
                continue
            }
            // Every stored claim was mapped from its record before it was stored, so this cannot
            // fail on rows this code wrote; a row that does is left out and named, not a stalled run.
            guard let kind = row.kind.flatMap(EncounterKind.init(rawValue:)), let from = row.admission.flatMap({ CivilDateTime($0) }),
                  let to = row.discharge.flatMap({ CivilDateTime($0) }), let encounter = row.encounter else {
                database.logger.warning("archived claim left out of the capacity counts: unreadable kind or date", metadata: ["claim": "\(row.claimID)"])
                continue
            }
            episodes.append(Episode(claimID: row.claimID, institutionID: institution, encounterID: encounter, doctor: row.doctor, kind: kind,
                                    admission: from, discharge: to, supersedes: row.supersedes))
        }
        return (ids, episodes)
    }

    /// A person's window around a claim, and the earliest admission of a claim within one calendar
    /// month (admitted and discharged in the same month, so staying less than 31 days) that can meet it.
    private func window(_ claim: Claim, days: Int) -> (from: String, to: String, earliest: String) {
        (CivilDateTime(date: claim.admission.date.adding(days: -days)).description,
         CivilDateTime(date: claim.discharge.date.adding(days: days + 1)).description,
         CivilDateTime(date: claim.admission.date.adding(days: -days - Self.withinMonthDays)).description)
    }

    /// The latest discharge of a stay within one calendar month that can meet a stay: it was
    /// admitted by the stay's discharge and stayed less than 31 days.
    private func latestDischarge(_ stay: Claim) -> String {
        stay.discharge.adding(seconds: Self.withinMonthDays * 86_400).description
    }

    /// A claim admitted and discharged in one calendar month spans less than this many days.
    static let withinMonthDays = 31

    /// Stored claims by id, decoded from their patient records.
    public func load(_ claimIDs: [String], on connection: PostgresConnection) async throws -> [Claim] {
        try await connection.rows(ArchiveStatements.Records(claimIDs: claimIDs), logger: database.logger).map(Self.decode)
    }

    /// A stored claim from its record. `supersedes` travels along, so a corrected settlement hides
    /// the version it replaces.
    private static func decode(_ claimID: String, _ supersedes: String?, _ record: String) throws -> Claim {
        let patient = try Patient.read(json: Array(record.utf8))
        return try Claim(patient: patient, encounter: patient.fsiEncounterDtos[0], claimID: claimID, supersedes: supersedes)
    }

    /// A stored claim, for the reconciler and replays.
    public func claim(_ claimID: String, on connection: PostgresConnection) async throws -> Claim? {
        try await load([claimID], on: connection).first
    }

    /// The history of one stored claim (replays): the query of a run of one.
    public func history(around claim: Claim, windowDays: Int, on connection: PostgresConnection) async throws -> InMemoryHistory {
        try await history(around: [claim], windowDays: windowDays, on: connection)
    }

    /// The traceability codes (追溯码) of a run of claims new in this transaction, copied in: a
    /// run's thousands of codes cost PostgreSQL about a third less by COPY than by `INSERT … unnest`
    /// (40,000 codes on a bench archive: 67-71 against 100-149 ms), for one round trip more.
    public func storeTraceCodes(_ codes: [(code: String, claimID: String)], on connection: PostgresConnection) async throws {
        let rows = TraceCodeRows(codes)
        guard !rows.isEmpty else { return }
        try await connection.copy(rows.copyRows, into: "claim_trace_codes", columns: ["code", "claim_id"], schema: database.schema,
                                  logger: database.logger)
    }
}

extension ClaimArchive {
    /// The archive's records as plain text (both services' `claims.payload`). Every record was
    /// read by the strict scanner or written by `JSONWriter` before it is stored, and it is read
    /// back whole; as `json`, PostgreSQL parsed each one again on every COPY (`json_in`, ~16 µs a
    /// claim in scripts/profile.sh). The few operator queries that look inside cast it (`::json`).
    /// Traceability codes are only ever looked up by equality (P13: who else sold this package),
    /// and every claim adds a dozen or more at random places of the index: a hash index on the
    /// code takes them at ~40% less than the primary key (code, claim_id) did (500,000 random
    /// codes: 1.33 s against 2.15-2.44 s). A code twice on one claim is still one row
    /// (`storeTraceCodes`), and readers take the claim ids as a set.
    public static func traceCodesByHash(_ version: Int) -> Migration {
        Migration(version, "traceability codes under a hash index", """
            ALTER TABLE {schema}.claim_trace_codes DROP CONSTRAINT IF EXISTS claim_trace_codes_pkey;
            CREATE INDEX IF NOT EXISTS claim_trace_codes_code ON {schema}.claim_trace_codes USING hash (code)
            """)
    }

    /// A person's window and an institution's stays read within bounds. Through the index of
    /// (`patn_id`, `adm_date`), every claim of the person admitted before the window's end was read
    /// from the table to test its discharge: all of a chronic patient's years, for each of his claims
    /// (on a 120,000-claim bench archive, 12 read for 3 kept a claim). Through (`medins_id`,
    /// `dscg_date`, `adm_date`), every stay of the institution discharged after a stay's admission
    /// was read: about the occupancy for a claim of today, every later stay for a claim sent late
    /// (a backfill, a correction of last year). A claim admitted and discharged in one calendar month
    /// stays less than 31 days, so a person's such claims are found from the window's start less 31
    /// days, and an institution's such stays up to the stay's discharge plus 31 days; the few that
    /// span a month's end keep their own indexes. The condition is the dates' own text, so no column
    /// is added and every writer stays as it is.
    public static func boundedWindowIndexes(_ version: Int) -> Migration {
        Migration(version, "a person's window and an institution's stays read within bounds", """
            CREATE INDEX IF NOT EXISTS claims_person_within_month ON {schema}.claims (patn_id, adm_date) WHERE left(dscg_date, 7) = left(adm_date, 7);
            CREATE INDEX IF NOT EXISTS claims_person_across_months ON {schema}.claims (patn_id, dscg_date) WHERE left(dscg_date, 7) <> left(adm_date, 7);
            CREATE INDEX IF NOT EXISTS claims_stays_within_month ON {schema}.claims (medins_id, dscg_date, adm_date)
              WHERE kind = 'inpatient' AND left(dscg_date, 7) = left(adm_date, 7);
            CREATE INDEX IF NOT EXISTS claims_stays_across_months ON {schema}.claims (medins_id, dscg_date, adm_date)
              WHERE kind = 'inpatient' AND left(dscg_date, 7) <> left(adm_date, 7);
            DROP INDEX IF EXISTS {schema}.claims_person;
            DROP INDEX IF EXISTS {schema}.claims_stays;
            DROP FUNCTION IF EXISTS {schema}.archive_history(text[], text[], text[], text[], text[], text[], text[], text[], text[])
            """)
    }

    /// The history lookup (`ArchiveStatements.History`) as a function planned once a session
    /// (`PlannedOnce`: for its values, its planning was ~390 µs of PostgreSQL's CPU a 3102 round).
    public static func historyPlannedOnce(_ version: Int) -> Migration {
        ArchiveStatements.History.function.migration(version, "the history lookup planned once a session, through its indexes")
    }

    /// The history lookup bringing the records of the claims it names (`ArchiveStatements.HistoryWithRecords`), the same way.
    public static func historyWithRecordsPlannedOnce(_ version: Int) -> Migration {
        ArchiveStatements.HistoryWithRecords.function.migration(version, "the history lookup with its claims' records, in one round trip")
    }

    /// The records of the claims the history names (`ArchiveStatements.Records`), the same way.
    public static func recordsPlannedOnce(_ version: Int) -> Migration {
        ArchiveStatements.Records.function.migration(version, "the history's records read through a function planned once a session")
    }

    /// The archive's vacuum unhurried: its tables only grow (a corrected settlement is a new row),
    /// so their vacuum only marks pages all-visible and frozen, and may take its time. At full speed
    /// (the cost delay's default 2 ms), the autovacuum of the claims, their traceability codes and
    /// TOAST met the 2,000/s peak on the same cores and took what the 3102 answers needed (p99 by 10 s
    /// of `bench.sh load` 100-170 ms while it ran, ~30-45 ms before; with 20 ms, 28-33 ms). `also`:
    /// the service's other tables that only grow by the claim (intake's msgids, smart-review's reviews).
    public static func unhurriedVacuum(_ version: Int, also tables: [String]) -> Migration {
        let gentle = "autovacuum_vacuum_cost_delay = 20"
        let statements = ["ALTER TABLE {schema}.claims SET (\(gentle), toast.\(gentle))"]
            + (["claim_trace_codes"] + tables).map { "ALTER TABLE {schema}.\($0) SET (\(gentle))" }
        return Migration(version, "the vacuum of the archive's growing tables unhurried, beside the peak's answers",
                         statements.joined(separator: ";\n"))
    }

    public static func recordsAsText(_ version: Int) -> Migration {
        Migration(version, "claim records as plain text, not parsed again on every insert", """
            ALTER TABLE {schema}.claims ALTER COLUMN payload TYPE text;
            DO $$ BEGIN ALTER TABLE {schema}.claims ALTER COLUMN payload SET COMPRESSION lz4; EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'lz4 not available: pglz stays'; END $$
            """)
    }
}

/// A row of the history lookup: a claim's id alone (with its record and what it supersedes, when
/// the lookup brings records), or an episode with its institution, encounter, doctor, kind,
/// admission, discharge and what it supersedes.
public struct HistoryRow: Sendable {
    public var claimID: String, institution: String?, encounter: String?, doctor: String?, kind: String?, admission: String?, discharge: String?
    public var supersedes: String?
    public var record: String?

    public init(claimID: String, institution: String?, encounter: String?, doctor: String?, kind: String?, admission: String?, discharge: String?,
                supersedes: String?, record: String?) {
        (self.claimID, self.institution, self.encounter, self.doctor, self.kind) = (claimID, institution, encounter, doctor, kind)
        (self.admission, self.discharge, self.supersedes, self.record) = (admission, discharge, supersedes, record)
    }
}

/// The history lookup of some claims (`ClaimArchive.historyRequest`), for a statement that makes it
/// together with its own reads in one round trip: it calls `withRecordsCall` with these arguments,
/// and gives its rows to `ClaimArchive.archived`.
public struct HistoryRequest: Sendable {
    let statement: ArchiveStatements.History

    /// The lookup's arguments, in order, after the caller's own.
    public func bind(into bindings: inout PostgresBindings) { statement.bind(into: &bindings) }

    /// The call of the lookup with records (`archive_history_records`) from another function planned
    /// once (`PlannedOnce`), its arguments that function's from `$first` on; its columns are
    /// `HistoryRow`'s in order.
    public static func withRecordsCall(argumentsFrom first: Int) -> String {
        let arguments = ArchiveStatements.History.function.arguments.indices.map { "$\(first + $0)" }.joined(separator: ", ")
        return "\(ArchiveStatements.HistoryWithRecords.function.function)(\(arguments))"
    }

    /// How many arguments the lookup takes.
    public static var argumentCount: Int { ArchiveStatements.History.function.arguments.count }
}

/// The history read for a run: whole claims, and the episodes only the capacity pattern counts.
public struct ArchivedHistory: Sendable {
    public var claims: [Claim]
    public var episodes: [Episode]

    public var history: InMemoryHistory { history(adding: 0) }

    /// The history, sized for `adding` claims more (a run reviewed one by one on top of it).
    public func history(adding: Int) -> InMemoryHistory { InMemoryHistory(claims, episodes: episodes, adding: adding) }
}

/// The traceability codes of new claims: a run's, copied in (`storeTraceCodes`, smart-review), or
/// as one of a round's writes (`CombinedWrites`, intake). A code twice on one claim is one row:
/// selling it twice is what P13 finds, not a storage error. Not a COPY in intake's rounds: a COPY
/// is two round trips, and those rounds (a settlement call's, usually a claim or two) paid for
/// them more than for the rows.
public struct TraceCodeRows: BoundStatement, WriteFragment {
    public static let sql = "INSERT INTO claim_trace_codes (code, claim_id) SELECT * FROM unnest($1::text[], $2::text[])"
    public typealias Row = ()
    private var codes: [String] = [], claimIDs: [String] = []

    /// The pairs without repeats (a code twice on one claim is one row), in their order. They come
    /// claim after claim, so each claim's few codes are compared among themselves: hashing every
    /// pair was ~3.5% of intake's CPU during a backfill (`perf`, session 25). A claim whose codes
    /// come in two runs sends the whole list through a set of pairs instead.
    public init(_ codes: [(code: String, claimID: String)]) {
        guard let rows = Self.byRuns(codes) else {
            var seen = Set<Pair>()
            for (code, claimID) in codes where seen.insert(Pair(code: code, claimID: claimID)).inserted {
                self.codes.append(code)
                claimIDs.append(claimID)
            }
            return
        }
        (self.codes, claimIDs) = rows
    }

    /// The rows when each claim's codes come in one run; nil when a claim comes back after another's.
    private static func byRuns(_ pairs: [(code: String, claimID: String)]) -> (codes: [String], claimIDs: [String])? {
        var codes: [String] = [], claimIDs: [String] = [], finished = Set<String>(), run = Run()
        for (code, claimID) in pairs {
            if let current = claimIDs.last, current != claimID {
                finished.insert(current)
                guard !finished.contains(claimID) else { return nil }
                run = Run()
            }
            if run.insert(code) {
                codes.append(code)
                claimIDs.append(claimID)
            }
        }
        return (codes, claimIDs)
    }

    /// One claim's codes so far: compared one by one while they are few, hashed past that.
    private struct Run {
        static let compared = 16
        var few: [String] = []
        var many: Set<String>? = nil

        /// Whether `code` is new in the run.
        mutating func insert(_ code: String) -> Bool {
            if many != nil { return many!.insert(code).inserted }
            if few.contains(code) { return false }
            few.append(code)
            if few.count > Self.compared { many = Set(few) }
            return true
        }
    }

    public var isEmpty: Bool { codes.isEmpty }
    /// The rows as they are written.
    var rows: [(code: String, claimID: String)] { Array(zip(codes, claimIDs)) }
    public var bindings: PostgresBindings {
        var bindings = PostgresBindings()
        bind(into: &bindings)
        return bindings
    }

    /// The same rows for `COPY … FROM STDIN` (`storeTraceCodes`).
    var copyRows: CopyRows {
        var rows = CopyRows(capacity: codes.count * 64)
        for (code, claimID) in zip(codes, claimIDs) {
            rows.text(code)
            rows.text(claimID)
            rows.endRow()
        }
        return rows
    }

    public func bind(into bindings: inout PostgresBindings) {
        bindings.append(texts: codes)
        bindings.append(texts: claimIDs)
    }

    private struct Pair: Hashable {
        var code: String
        var claimID: String
    }
}
