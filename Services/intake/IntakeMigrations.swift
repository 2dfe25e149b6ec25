import ClaimArchive
import AuditTrail
import OperatorDirectory
import Persistence
import ReferenceData

/// intake's own tables (schema `intake`).
enum IntakeMigrations {
    static let all = [ReferenceData.migration(100), RuleFollower.migration] + [
        Migration(1, "messages, claims, feedback, credentials", """
            CREATE TABLE {schema}.messages (
              msgid text PRIMARY KEY,
              infno text NOT NULL,
              medins_id text NOT NULL,
              received_at timestamptz NOT NULL DEFAULT now(),
              infcode int,
              response text,
              trace_id text);
            CREATE TABLE {schema}.claims (
              claim_id text PRIMARY KEY,
              medins_id text NOT NULL,
              mdtrt_id text NOT NULL,
              setl_id text NOT NULL,
              version int NOT NULL,
              supersedes text,
              patn_id text NOT NULL,
              msgid text NOT NULL,
              trig_scen int NOT NULL,
              adm_date text NOT NULL,
              payload jsonb NOT NULL,
              accepted_at timestamptz NOT NULL DEFAULT now(),
              UNIQUE (medins_id, mdtrt_id, setl_id),
              UNIQUE (medins_id, mdtrt_id, version));
            CREATE INDEX claims_person ON {schema}.claims (patn_id, adm_date);
            CREATE TABLE {schema}.claim_trace_codes (
              code text NOT NULL,
              claim_id text NOT NULL,
              PRIMARY KEY (code, claim_id));
            CREATE TABLE {schema}.feedback (
              jr_id text NOT NULL,
              msgid text NOT NULL,
              medins_id text NOT NULL,
              warn_type int NOT NULL,
              dspo_way text NOT NULL,
              dspo_way_rea text,
              received_at timestamptz NOT NULL DEFAULT now(),
              PRIMARY KEY (jr_id, msgid));
            CREATE TABLE {schema}.credentials (
              medins_id text PRIMARY KEY,
              secret_sha256 text NOT NULL,
              updated_at timestamptz NOT NULL DEFAULT now());
            """),
        Migration(2, "whistle-blower reports", """
            CREATE TABLE {schema}.reports (
              report_id text PRIMARY KEY,
              tracking_no text NOT NULL UNIQUE,
              subject_type text NOT NULL,
              subject_id text NOT NULL,
              content text NOT NULL,
              evidence jsonb NOT NULL,
              reporter_sealed bytea NOT NULL,
              status text NOT NULL DEFAULT 'received',
              received_at timestamptz NOT NULL DEFAULT now());
            CREATE TABLE {schema}.reporter_access_log (
              id bigserial PRIMARY KEY,
              report_id text NOT NULL,
              accessed_by text NOT NULL,
              reason text NOT NULL,
              accessed_at timestamptz NOT NULL DEFAULT now());
            """),
        Migration(4, "progress of whistle-blower reports from the workbench", """
            ALTER TABLE {schema}.reports ADD COLUMN progress_step int NOT NULL DEFAULT 0,
              ADD COLUMN progress_at timestamptz, ADD COLUMN reward_amount numeric(14,2),
              ADD COLUMN reward_paid boolean NOT NULL DEFAULT false;
            """),
        // The columns the shared claim archive reads (module ClaimArchive), so the real-time answers
        // see a doctor's day and an institution's beds as smart-review does. Rows stored before are
        // filled from their records once (the kinds of med_mdtrt_type as EncounterKind maps them).
        Migration(10, "claim archive columns: attending doctor, encounter kind, discharge", """
            ALTER TABLE {schema}.claims ADD COLUMN dr_codg text, ADD COLUMN kind text, ADD COLUMN dscg_date text;
            UPDATE {schema}.claims SET dr_codg = NULLIF(payload->'fsi_encounter_dtos'->0->>'dr_codg', ''),
              kind = CASE payload->'fsi_encounter_dtos'->0->>'med_mdtrt_type'
                       WHEN '1' THEN 'outpatient' WHEN '2' THEN 'inpatient' WHEN '3' THEN 'pharmacy' END,
              dscg_date = payload->'fsi_encounter_dtos'->0->>'dscg_date';
            CREATE INDEX claims_doctor_day ON {schema}.claims (dr_codg, (left(adm_date, 10))) WHERE kind <> 'inpatient';
            CREATE INDEX claims_stays ON {schema}.claims (medins_id, adm_date, dscg_date) WHERE kind = 'inpatient';
            -- A claim's record is a few kB: pglz compressing it was PostgreSQL's heaviest function under load
            -- (scripts/profile.sh); lz4 costs a fraction where the server has it, pglz stays where not.
            DO $$ BEGIN ALTER TABLE {schema}.claims ALTER COLUMN payload SET COMPRESSION lz4; EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'lz4 not available: pglz stays'; END $$;
            """),
        // The record is read back whole (history, replays), never queried inside on the hot path:
        // `json` keeps its text as sent, without the binary conversion `jsonb` costs on every insert
        // and again on every read (scripts/profile.sh: the claim inserts led PostgreSQL's time).
        Migration(11, "claim records as json text", """
            ALTER TABLE {schema}.claims ALTER COLUMN payload TYPE json USING payload::json;
            DO $$ BEGIN ALTER TABLE {schema}.claims ALTER COLUMN payload SET COMPRESSION lz4; EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'lz4 not available: pglz stays'; END $$;
            """),
        // Numbered apart from the claim-path migrations that other work adds meanwhile.
        // An institution's stays overlapping a new one are found from the discharge side: ordered by
        // admission, the scan ran through every stay the institution ever had before the new one
        // ended, growing with its history; by discharge it covers the beds occupied since it began.
        Migration(12, "stays indexed by discharge, so P19's bed count reads the stays still open", """
            DROP INDEX {schema}.claims_stays;
            CREATE INDEX claims_stays ON {schema}.claims (medins_id, dscg_date, adm_date) WHERE kind = 'inpatient'
            """),
        ClaimArchive.recordsAsText(13),
        // The claim id is `medins_id/mdtrt_id/setl_id` (ClaimAccepted.claimId), so its primary key
        // already keeps a settlement once; the second index on the same three columns cost every
        // insert a sixth index entry (~10% of the claims COPY, measured on a copy of the table).
        Migration(14, "claims: the settlement's uniqueness is the primary key's", """
            ALTER TABLE {schema}.claims DROP CONSTRAINT IF EXISTS claims_medins_id_mdtrt_id_setl_id_key
            """),
        ClaimArchive.traceCodesByHash(15),
        ClaimArchive.historyPlannedOnce(16),
        EncounterClaims.function.migration(17, "an encounter's claims looked up through a function planned once a session, through its index"),
        ClaimStore.RoundWrites.function.migration(18, "a round's writes through a procedure planned once a session"),
        ClaimArchive.recordsPlannedOnce(19),
        Migration(20, "operators as persons: accounts, the audit chain, two-person reveal of a reporter",
                  [AuditStore.tableSQL, OperatorAccounts.tableSQL, ReporterReveal.tableSQL].joined(separator: "\n")),
        SanctionFollower.migration(21),
        ClaimArchive.unhurriedVacuum(22, also: ["messages"]),
        ClaimArchive.boundedWindowIndexes(23),
        // `encounter_claims` now takes the encounters' locks itself (a third argument, migration 17).
        Migration(24, "the lookup of an encounter's claims without its locks gone", """
            DROP FUNCTION IF EXISTS {schema}.encounter_claims(text[], text[])
            """),
        ClaimArchive.historyWithRecordsPlannedOnce(25),
        TakeMessages.function.migration(26, "msgids taken through a function planned once a session"),
        SettlementReads.function.migration(27, "a settlement round's reads in one statement: its msgids, its encounters' claims, its history"),
    ]
}
