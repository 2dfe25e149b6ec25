# The infrastructure faults of scripts/faults.sh (sourced): a PostgreSQL restart and a broker
# outage under load. Needs RUN_DIR, PG_PORT, KAFKA_PORT, DEMO, lib.sh and faults-checks.sh.
PGBIN=/usr/lib/postgresql/15/bin

# pg_ctl restart -m fast under load, with probes of two database-backed endpoints meanwhile:
# each must answer (a 503 while the database is away), none may hang (curl gives up at 20 s).
pg_restart() {
  local probes="$RUN_DIR/pg-probes.txt" until=$((SECONDS + 14)); : >"$probes"
  ( while [ $SECONDS -lt $until ]; do
      curl -s -o /dev/null -m 20 -w '%{http_code} %{time_total}\n' "$(svc_url smart-review)/api/coverage" >>"$probes"
      curl -s -o /dev/null -m 20 -w '%{http_code} %{time_total}\n' -X POST -H 'Authorization: Bearer H43010000001:not-the-secret' \
        --data '{}' "$(svc_url intake)/api/his" >>"$probes"
      sleep 0.05
    done ) & local prober=$!
  sleep 2
  local t0=$SECONDS
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$RUN_DIR/pg/data" -l "$RUN_DIR/pg/postgres.log" -m fast -w restart >/dev/null
  say "PostgreSQL restarted (pg_ctl restart -m fast, $((SECONDS - t0)) s)"
  wait "$prober"
  PG_PROBES=$(awk '{ n[$1]++; if ($2 > max) max = $2 } END { for (c in n) printf "%s×%d ", c, n[c]; printf "(slowest %.2f s)", max }' "$probes")
  say "probes during the restart (HTTP status×count): $PG_PROBES"
}

# The memory broker loses its log on restart, so the outage starts with nothing in flight (the
# load paused until every published event was consumed) and is measured on what it produces:
# events held in the outboxes while the broker is down, all published once it is back.
broker_outage() {
  local seconds=$1 n s
  kill -STOP "$DEMO" 2>/dev/null || say "the load ended before the outage"
  wait_for in_flight 120 || say "warning: $(in_flight) events still in flight when the broker stops (the memory broker loses them)"
  OUTAGE_START=$(sql "SELECT now()")
  kill -KILL "$(cat "$RUN_DIR/tansu.pid")"; rm -f "$RUN_DIR/tansu.pid"
  kill -CONT "$DEMO" 2>/dev/null || true
  say "broker stopped for $seconds s (load resumed)"
  OUTAGE_MAX=0
  for _ in $(seq 1 "$seconds"); do sleep 1; n=$(unpublished); [ "$n" -gt "$OUTAGE_MAX" ] && OUTAGE_MAX=$n; done
  OUTAGE_END=$(sql "SELECT now()")
  scripts/infra.sh start-kafka "$KAFKA_PORT" "$RUN_DIR"
  # The restarted memory broker no longer knows the producers' ids: librdkafka's idempotent
  # producer then gets UNKNOWN_PRODUCER_ID on every retry and never recovers (seen with
  # rdkafka_performance too, even with message.timeout.ms lowered). A real cluster keeps producer
  # state in its replicated log, so this is an artefact of the test broker: the services are
  # restarted (new producers, and consumers that start at the new log's beginning).
  for s in "${SERVICES[@]}"; do svc_kill "$s"; svc_start "$s"; done
  for s in "${SERVICES[@]}"; do svc_ready "$s"; done
  wait_for unpublished 180 || say "warning: $(unpublished) events still unpublished 180 s after the broker came back"
  local window="FROM $(all_outbox) o WHERE created_at BETWEEN '$OUTAGE_START' AND '$OUTAGE_END'"
  OUTAGE_HELD=$(sql "SELECT count(*) $window")
  OUTAGE_PUBLISHED=$(sql "SELECT count(*) $window AND published_at > '$OUTAGE_END'")
  say "broker back: $OUTAGE_HELD events produced during the outage (at most $OUTAGE_MAX unpublished at once), $OUTAGE_PUBLISHED published after it"
}
