import AuditTrail
import Persistence

/// notification's own tables (schema `notification`).
enum NotificationMigrations {
    static let all = [
        Migration(1, "subscribers, subscriptions, secrets", """
            CREATE TABLE {schema}.subscribers (
              id text PRIMARY KEY,
              type text NOT NULL,
              name text NOT NULL,
              jurisdiction text NOT NULL,
              institution_code text,
              channel text NOT NULL CHECK (channel IN ('webhook', 'kafka')),
              url text,
              max_in_flight int NOT NULL DEFAULT 4 CHECK (max_in_flight > 0),
              ordered boolean NOT NULL DEFAULT false,
              token_hash text NOT NULL UNIQUE,
              active boolean NOT NULL DEFAULT true,
              created_at timestamptz NOT NULL DEFAULT now());
            CREATE TABLE {schema}.subscriptions (
              id text PRIMARY KEY,
              subscriber_id text NOT NULL REFERENCES {schema}.subscribers(id),
              filter jsonb NOT NULL,
              active boolean NOT NULL DEFAULT true,
              created_at timestamptz NOT NULL DEFAULT now());
            CREATE TABLE {schema}.webhook_secrets (
              id bigserial PRIMARY KEY,
              subscriber_id text NOT NULL REFERENCES {schema}.subscribers(id),
              secret text NOT NULL,
              created_at timestamptz NOT NULL DEFAULT now(),
              expires_at timestamptz);
            """),
        Migration(2, "deliveries, attempts, feedback", """
            CREATE TABLE {schema}.deliveries (
              id text PRIMARY KEY,
              seq bigserial NOT NULL UNIQUE,
              event_id text NOT NULL,
              event_type text NOT NULL,
              case_id text NOT NULL,
              subscriber_id text NOT NULL REFERENCES {schema}.subscribers(id),
              notice_type text NOT NULL,
              reasons jsonb NOT NULL,
              deadline timestamptz,
              expects_feedback boolean NOT NULL,
              body text NOT NULL,
              status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
              attempts int NOT NULL DEFAULT 0,
              replays int NOT NULL DEFAULT 0,
              next_attempt_at timestamptz NOT NULL DEFAULT now(),
              first_attempt_at timestamptz,
              lease_until timestamptz,
              last_error text,
              created_at timestamptz NOT NULL DEFAULT now(),
              delivered_at timestamptz,
              dead_at timestamptz,
              ack_due_at timestamptz,
              acknowledged_at timestamptz,
              escalated_at timestamptz,
              UNIQUE (event_id, subscriber_id));
            CREATE INDEX deliveries_pending ON {schema}.deliveries (subscriber_id, seq) WHERE status = 'pending';
            CREATE INDEX deliveries_case ON {schema}.deliveries (case_id);
            CREATE TABLE {schema}.attempts (
              id bigserial PRIMARY KEY,
              delivery_id text NOT NULL REFERENCES {schema}.deliveries(id),
              attempt int NOT NULL,
              channel text NOT NULL,
              started_at timestamptz NOT NULL,
              finished_at timestamptz NOT NULL DEFAULT now(),
              http_status int,
              outcome text NOT NULL,
              error text,
              response text);
            CREATE INDEX attempts_delivery ON {schema}.attempts (delivery_id, id);
            CREATE TABLE {schema}.feedback (
              id text PRIMARY KEY,
              delivery_id text NOT NULL REFERENCES {schema}.deliveries(id),
              subscriber_id text NOT NULL,
              case_id text NOT NULL,
              kind text NOT NULL CHECK (kind IN ('acknowledged', 'decision')),
              decision text,
              note text,
              received_at timestamptz NOT NULL DEFAULT now());
            CREATE UNIQUE INDEX feedback_one_ack ON {schema}.feedback (delivery_id) WHERE kind = 'acknowledged';
            """),
        Migration(3, "public disclosure and unrouted referrals", """
            CREATE TABLE {schema}.disclosures (
              case_id text PRIMARY KEY,
              decision_date timestamptz NOT NULL,
              entry jsonb NOT NULL,
              published_at timestamptz NOT NULL DEFAULT now());
            CREATE TABLE {schema}.inspection_plans (
              plan_id text PRIMARY KEY,
              region text,
              plan jsonb NOT NULL,
              published_at timestamptz NOT NULL DEFAULT now());
            CREATE TABLE {schema}.unrouted (
              event_id text NOT NULL,
              case_id text NOT NULL,
              rule_id text NOT NULL,
              region text NOT NULL DEFAULT '',
              recorded_at timestamptz NOT NULL DEFAULT now(),
              PRIMARY KEY (event_id, rule_id, region));
            """),
        StatisticsFeed.migration,
        AuditHeadsFeed.migration,
        Migration(11, "the operators' audit chain", AuditStore.tableSQL),
    ]
}
