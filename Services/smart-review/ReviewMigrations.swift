import ClaimArchive
import Persistence
import ReferenceData

/// smart-review's own tables (schema `smart_review`).
enum ReviewMigrations {
    static let all = [ReferenceData.migration(100)] + [
        Migration(1, "claims, findings, reviews, rule sets", """
            CREATE TABLE {schema}.claims (
              claim_id text PRIMARY KEY,
              patn_id text NOT NULL,
              medins_id text NOT NULL,
              dr_codg text,
              kind text NOT NULL,
              adm_date text NOT NULL,
              dscg_date text NOT NULL,
              version int NOT NULL,
              supersedes text,
              payload jsonb NOT NULL,
              received_at timestamptz NOT NULL DEFAULT now());
            CREATE INDEX claims_person ON {schema}.claims (patn_id, adm_date);
            CREATE INDEX claims_doctor_day ON {schema}.claims (dr_codg, (left(adm_date, 10))) WHERE kind <> 'inpatient';
            CREATE INDEX claims_stays ON {schema}.claims (medins_id, adm_date, dscg_date) WHERE kind = 'inpatient';
            CREATE TABLE {schema}.claim_trace_codes (
              code text NOT NULL,
              claim_id text NOT NULL,
              PRIMARY KEY (code, claim_id));
            CREATE TABLE {schema}.findings (
              finding_id text PRIMARY KEY,
              claim_id text NOT NULL,
              patn_id text NOT NULL,
              medins_id text NOT NULL,
              pattern text NOT NULL,
              rule_id text NOT NULL,
              rule_version int NOT NULL,
              rule_set_version int NOT NULL,
              kb_version text NOT NULL,
              severity int NOT NULL,
              amount numeric NOT NULL,
              stage text NOT NULL,
              body jsonb NOT NULL,
              found_at timestamptz NOT NULL DEFAULT now());
            CREATE INDEX findings_claim ON {schema}.findings (claim_id);
            CREATE INDEX findings_institution ON {schema}.findings (medins_id, found_at);
            CREATE TABLE {schema}.reviews (
              claim_id text NOT NULL,
              rule_set_version int NOT NULL,
              kb_version text NOT NULL,
              findings int NOT NULL,
              reviewed_at timestamptz NOT NULL DEFAULT now(),
              PRIMARY KEY (claim_id, rule_set_version));
            CREATE TABLE {schema}.rule_sets (
              version int PRIMARY KEY,
              body jsonb NOT NULL,
              published_by text NOT NULL,
              published_at timestamptz NOT NULL DEFAULT now());
            """),
        Migration(2, "reviewers' workbench: items, decisions, samples, cases, audit log", WorkbenchSchema.sql),
        Migration(3, "ledgers: institutions' answers and refunds, problem lists, rectifications", LedgerSchema.sql),
        Migration(4, "whistle-blower reports as a case source of the workbench", ReportSchema.sql),
        Migration(5, "reviewer accounts of the console", ReviewerAccounts.sql),
        Migration(6, "institutions' credit grades followed from credit.changes", CreditStanding.sql),
        Migration(7, "an institution's answer stored once per Idempotency-Key", """
            ALTER TABLE {schema}.institution_answers ADD COLUMN idempotency_key text;
            CREATE UNIQUE INDEX institution_answers_idempotency ON {schema}.institution_answers (medins_id, idempotency_key)
            """),
        // A finding is withdrawn, never deleted; `finding` keeps it whole so later evidence can be weighed against it.
        Migration(8, "withdrawn findings", """
            ALTER TABLE {schema}.findings ADD COLUMN finding jsonb, ADD COLUMN withdrawn_at timestamptz,
              ADD COLUMN withdrawn_reason text, ADD COLUMN withdrawn_by text;
            ALTER TABLE {schema}.review_items ADD COLUMN withdrawal_note text;
            -- A claim's record is a few kB: pglz compressing it was PostgreSQL's heaviest function under load
            -- (scripts/profile.sh); lz4 costs a fraction where the server has it, pglz stays where not.
            DO $$ BEGIN ALTER TABLE {schema}.claims ALTER COLUMN payload SET COMPRESSION lz4; ALTER TABLE {schema}.findings ALTER COLUMN body SET COMPRESSION lz4, ALTER COLUMN finding SET COMPRESSION lz4; EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'lz4 not available: pglz stays'; END $$;
            """),
        // As intake's (its migration 11): the record is read back whole, never queried inside on the
        // hot path, so it is kept as json text rather than converted to jsonb on every insert.
        Migration(9, "claim records as json text", """
            ALTER TABLE {schema}.claims ALTER COLUMN payload TYPE json USING payload::json;
            DO $$ BEGIN ALTER TABLE {schema}.claims ALTER COLUMN payload SET COMPRESSION lz4; EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'lz4 not available: pglz stays'; END $$;
            """),
        // P19 counts other persons' visits and stays from the archive's columns (ClaimArchive's
        // episodes), never their records; another settlement of one encounter is not another stay.
        // Stays are indexed from the discharge side as intake's are (its migration 12, which says why).
        Migration(10, "claim archive: the encounter id of each claim; stays indexed by discharge", """
            ALTER TABLE {schema}.claims ADD COLUMN mdtrt_id text;
            UPDATE {schema}.claims SET mdtrt_id = payload->'fsi_encounter_dtos'->0->>'mdtrt_id';
            ALTER TABLE {schema}.claims ALTER COLUMN mdtrt_id SET NOT NULL;
            DROP INDEX {schema}.claims_stays;
            CREATE INDEX claims_stays ON {schema}.claims (medins_id, dscg_date, adm_date) WHERE kind = 'inpatient'
            """),
        ClaimArchive.recordsAsText(11),
        ClaimArchive.traceCodesByHash(12),
        ClaimArchive.historyPlannedOnce(14),
        ClaimArchive.recordsPlannedOnce(15),
        // The reconciler's sweep looks only at claims received lately (`Reconciler.sweep`): a BRIN
        // index (a few bytes per range of pages, nothing per row) finds them, as rows are appended in
        // the order they arrive; the pages not yet summarised are always read, and those are the newest.
        Migration(13, "claims found by when they were received, for the reconciler's sweep", """
            CREATE INDEX claims_received ON {schema}.claims USING brin (received_at) WITH (autosummarize = on)
            """),
        // Issue #14's migrations are numbered from 140 so that branches worked on beside it cannot take the same numbers.
        Migration(140, "a case names its parties, chosen from the people its evidence names", """
            ALTER TABLE {schema}.cases ADD COLUMN parties jsonb, ADD COLUMN evidence jsonb
            """),
        Migration(141, "a case's circumstances (officials involved, institution notice, typical) and the agencies' feedback on it", """
            ALTER TABLE {schema}.cases ADD COLUMN circumstances jsonb;
            CREATE TABLE {schema}.case_feedback (
              feedback_id text PRIMARY KEY,
              case_id text NOT NULL,
              delivery_id text NOT NULL,
              subscriber_id text NOT NULL,
              subscriber_type text NOT NULL,
              kind text NOT NULL,
              decision text,
              note text,
              received_at timestamptz NOT NULL);
            CREATE INDEX case_feedback_case ON {schema}.case_feedback (case_id, delivery_id)
            """),
        Migration(142, "second-review draws of machine-passed claims per day, besides the batches of decisions", """
            ALTER TABLE {schema}.second_review_samples ADD COLUMN kind text NOT NULL DEFAULT 'decisions', ADD COLUMN period text;
            CREATE UNIQUE INDEX second_review_samples_period ON {schema}.second_review_samples (kind, period) WHERE period IS NOT NULL
            """),
        Migration(143, "the penalty policy (discretion benchmark, legal-review thresholds) by version; the version each case used", """
            CREATE TABLE {schema}.penalty_policies (
              version int PRIMARY KEY,
              body jsonb NOT NULL,
              published_by text NOT NULL,
              published_at timestamptz NOT NULL DEFAULT now());
            ALTER TABLE {schema}.cases ADD COLUMN policy_version int
            """),
        // credit's sanctions as this service follows them (credit.changes)
        SanctionFollower.migration(150),
        Migration(160, "a case's source (inspection, lead, report) and the evidence attached to a case from outside the claims", """
            ALTER TABLE {schema}.cases ADD COLUMN source jsonb, ADD COLUMN attachments jsonb
            """),
        ClaimArchive.unhurriedVacuum(161, also: ["reviews", "findings"]),
        ClaimArchive.boundedWindowIndexes(162),
    ]
}
