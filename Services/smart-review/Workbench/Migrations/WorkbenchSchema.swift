/// The workbench's tables (migration 2). Items are one per flagged claim; decisions one per item and
/// level; the audit log refuses UPDATE and DELETE by trigger, and its hash chain shows any change
/// made around the trigger (by an owner who disables it).
enum WorkbenchSchema {
    static let sql = """
        CREATE TABLE {schema}.review_items (
          item_id bigserial PRIMARY KEY,
          claim_id text NOT NULL UNIQUE,
          medins_id text NOT NULL,
          admdvs text NOT NULL,
          severity int NOT NULL,
          amount numeric NOT NULL,
          state text NOT NULL DEFAULT 'first_pending',
          lease_holder text,
          lease_claimed_at timestamptz,
          lease_expires_at timestamptz,
          enqueued_at timestamptz NOT NULL DEFAULT now());
        CREATE INDEX review_items_queue ON {schema}.review_items (state, admdvs, severity, amount DESC);
        CREATE TABLE {schema}.second_review_samples (
          sample_id bigserial PRIMARY KEY,
          seed numeric NOT NULL,
          selection jsonb NOT NULL,
          drawn_at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE {schema}.review_decisions (
          item_id bigint NOT NULL REFERENCES {schema}.review_items,
          level int NOT NULL,
          reviewer text NOT NULL,
          decision text NOT NULL,
          amount numeric,
          reason text,
          differs boolean NOT NULL DEFAULT false,
          sample_id bigint REFERENCES {schema}.second_review_samples,
          decided_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (item_id, level));
        CREATE TABLE {schema}.cases (
          case_id text PRIMARY KEY,
          medins_id text NOT NULL,
          admdvs text NOT NULL,
          state text NOT NULL,
          violation jsonb NOT NULL,
          proposal jsonb NOT NULL,
          decision jsonb NOT NULL,
          opened_by text NOT NULL,
          opened_at timestamptz NOT NULL DEFAULT now(),
          published_at timestamptz);
        CREATE TABLE {schema}.case_items (
          case_id text NOT NULL REFERENCES {schema}.cases,
          item_id bigint NOT NULL UNIQUE REFERENCES {schema}.review_items);
        CREATE TABLE {schema}.audit_log (
          sequence bigint PRIMARY KEY,
          at timestamptz NOT NULL,
          actor text NOT NULL,
          action text NOT NULL,
          subject text NOT NULL,
          details jsonb NOT NULL,
          previous_hash text NOT NULL,
          hash text NOT NULL);
        CREATE FUNCTION {schema}.audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
        CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON {schema}.audit_log
          FOR EACH ROW EXECUTE FUNCTION {schema}.audit_log_append_only();
        """
}
