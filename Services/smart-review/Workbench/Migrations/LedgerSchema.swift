/// The ledgers' tables (migration 3): the institutions' answers (申辩) with any voluntary refund
/// (主动退回), the published problem lists (问题清单) by version, and the rectification items of the
/// clear-to-zero ledger (清零台账). Rows are added, and only rectifications change state.
enum LedgerSchema {
    static let sql = """
        CREATE TABLE {schema}.institution_answers (
          answer_id bigserial PRIMARY KEY,
          medins_id text NOT NULL,
          item_id bigint REFERENCES {schema}.review_items,
          case_id text REFERENCES {schema}.cases,
          text text NOT NULL,
          evidence jsonb NOT NULL,
          refund_amount numeric CHECK (refund_amount > 0),
          refunded_on date,
          answered_by text NOT NULL,
          answered_at timestamptz NOT NULL DEFAULT now(),
          CHECK ((item_id IS NULL) <> (case_id IS NULL)),
          CHECK ((refund_amount IS NULL) = (refunded_on IS NULL)));
        CREATE INDEX institution_answers_item ON {schema}.institution_answers (item_id);
        CREATE INDEX institution_answers_case ON {schema}.institution_answers (case_id);
        CREATE INDEX institution_answers_medins ON {schema}.institution_answers (medins_id);
        CREATE TABLE {schema}.problem_lists (
          admdvs text NOT NULL,
          period text NOT NULL,
          version int NOT NULL,
          problems jsonb NOT NULL,
          published_by text NOT NULL,
          published_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (admdvs, period, version));
        CREATE TABLE {schema}.rectifications (
          rectification_id bigserial PRIMARY KEY,
          case_id text NOT NULL REFERENCES {schema}.cases,
          rule_id text NOT NULL,
          problem text NOT NULL,
          medins_id text NOT NULL,
          admdvs text NOT NULL,
          responsible text NOT NULL,
          deadline timestamptz NOT NULL,
          state text NOT NULL DEFAULT 'open',
          report text,
          evidence jsonb,
          reported_at timestamptz,
          reviewed_by text,
          opinion text,
          ordered_by text NOT NULL,
          ordered_at timestamptz NOT NULL DEFAULT now(),
          UNIQUE (case_id, rule_id));
        CREATE INDEX rectifications_open ON {schema}.rectifications (admdvs, state, deadline);
        CREATE INDEX rectifications_medins ON {schema}.rectifications (medins_id);
        """
}
