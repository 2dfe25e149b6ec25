/// Whistle-blower reports on the workbench (migration 4): one row per report received from intake,
/// with its region for the scope checks and the workflow's state (`WhistleblowerReport`) as JSON.
/// The reporter's identity is not here: it never leaves intake.
enum ReportSchema {
    static let sql = """
        CREATE TABLE {schema}.whistleblower_reports (
          report_id text PRIMARY KEY,
          subject_type text NOT NULL,
          subject_id text NOT NULL,
          admdvs text NOT NULL,
          content text NOT NULL,
          evidence jsonb NOT NULL,
          received_at timestamptz NOT NULL,
          state text NOT NULL,
          assignee text,
          record jsonb NOT NULL,
          updated_at timestamptz NOT NULL DEFAULT now());
        CREATE INDEX whistleblower_reports_region ON {schema}.whistleblower_reports (admdvs, state, received_at);
        """
}
