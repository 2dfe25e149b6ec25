import AuditTrail
import Persistence
import ReferenceData

/// credit's own tables (schema `credit`). Files, point actions and changes are append-only;
/// `standing` is the current grade and list membership, whose every change is also a row of
/// `changes` (so no grade is ever overwritten without a trace).
enum CreditMigrations {
    static let all = [ReferenceData.migration(100)] + [
        Migration(1, "files, points, standing, changes, suspensions, cases", """
            CREATE TABLE {schema}.entries (
              seq bigserial PRIMARY KEY,
              subject_kind text NOT NULL,
              subject_id text NOT NULL,
              entry_id text NOT NULL,
              recorded_on text NOT NULL,
              recorded_by text NOT NULL,
              source text NOT NULL,
              rule text,
              evidence jsonb NOT NULL,
              entry jsonb NOT NULL,
              created_at timestamptz NOT NULL DEFAULT now(),
              UNIQUE (subject_kind, subject_id, entry_id));
            CREATE TABLE {schema}.point_actions (
              seq bigserial PRIMARY KEY,
              prac_codg text NOT NULL,
              action_id text NOT NULL,
              action jsonb NOT NULL,
              created_at timestamptz NOT NULL DEFAULT now(),
              UNIQUE (prac_codg, action_id));
            CREATE TABLE {schema}.standing (
              subject_kind text NOT NULL,
              subject_id text NOT NULL,
              region text,
              grade text NOT NULL,
              score double precision NOT NULL,
              model_version text NOT NULL,
              red_since text,
              black_since text,
              black_until text,
              membership jsonb NOT NULL,
              updated_at timestamptz NOT NULL DEFAULT now(),
              PRIMARY KEY (subject_kind, subject_id));
            CREATE TABLE {schema}.changes (
              seq bigserial PRIMARY KEY,
              change_id text NOT NULL UNIQUE,
              subject_kind text NOT NULL,
              subject_id text NOT NULL,
              change text NOT NULL,
              effective_from text NOT NULL,
              payload jsonb NOT NULL,
              created_at timestamptz NOT NULL DEFAULT now());
            CREATE INDEX changes_subject ON {schema}.changes (subject_kind, subject_id, seq);
            CREATE TABLE {schema}.suspensions (
              psn_no text NOT NULL,
              case_id text NOT NULL,
              from_date text NOT NULL,
              until_date text NOT NULL,
              months int NOT NULL,
              lifted_on text,
              PRIMARY KEY (psn_no, case_id));
            CREATE TABLE {schema}.cases (
              case_id text PRIMARY KEY,
              institution_id text NOT NULL,
              care_region text NOT NULL,
              amount numeric NOT NULL,
              findings int NOT NULL,
              decided_on text NOT NULL,
              payload jsonb NOT NULL);
            """),
        Migration(2, "region risk and inspection plans", """
            CREATE TABLE {schema}.region_risk (
              seq bigserial PRIMARY KEY,
              admdvs text NOT NULL,
              period_start text NOT NULL,
              period_end text NOT NULL,
              level text NOT NULL,
              result jsonb NOT NULL,
              computed_at timestamptz NOT NULL DEFAULT now());
            CREATE TABLE {schema}.inspection_plans (
              plan_id text PRIMARY KEY,
              request jsonb NOT NULL,
              plan jsonb NOT NULL,
              created_by text NOT NULL,
              results jsonb,
              created_at timestamptz NOT NULL DEFAULT now());
            """),
        Migration(3, "institutions' agreement suspensions", """
            CREATE TABLE {schema}.agreement_suspensions (
              medins_id text NOT NULL,
              case_id text NOT NULL,
              from_date text NOT NULL,
              until_date text NOT NULL,
              months int NOT NULL,
              ended_on text,
              PRIMARY KEY (medins_id, case_id));
            CREATE INDEX agreement_suspensions_due ON {schema}.agreement_suspensions (until_date) WHERE ended_on IS NULL;
            """),
        Migration(10, "the operators' audit chain", AuditStore.tableSQL),
    ]
}
