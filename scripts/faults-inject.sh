# The infrastructure faults of scripts/faults.sh (sourced): a PostgreSQL restart and a broker
# outage under load. Needs RUN_DIR, PG_PORT, KAFKA_PORT, DEMO, lib.sh and faults-checks.sh.
PGBIN=/usr/lib/postgresql/15/bin

# Probes of database-backed endpoints for $1 seconds, into $2, one line per answer: probe, HTTP
# status ("000": none within PROBE_LIMIT), seconds. Every 0.5 s smart-review's coverage and
# intake's 3102 with a wrong credential (curl), and every 0.25 s a real 3102 settlement of the
# probe institution (fault_pusher.py probe, when PROBE_CREDENTIAL is set); each request is sent
# on its own, so one held request does not hold back the probes after it. PROBE_LIMIT (40 s)
# outlasts the 30 s hang, so that a request held until PostgreSQL came back is told from one
# that never answers.
PROBE_LIMIT=40 PROBE_NUMBER=0
probes_start() {
  local seconds=$1 out=$2; : >"$out"
  ( local until=$((SECONDS + seconds))
    while [ $SECONDS -lt "$until" ]; do
      curl -s -o /dev/null -m $PROBE_LIMIT -w 'coverage %{http_code} %{time_total}\n' "$(svc_url smart-review)/api/coverage" >>"$out" &
      curl -s -o /dev/null -m $PROBE_LIMIT -w '3102-credential %{http_code} %{time_total}\n' -X POST \
        -H 'Authorization: Bearer H43010000001:not-the-secret' --data '{}' "$(svc_url intake)/api/his" >>"$out" &
      sleep 0.5
    done
    wait ) & PROBERS=($!)
  if [ -n "${PROBE_CREDENTIAL:-}" ]; then
    python3 scripts/fault_pusher.py probe "$(svc_url intake)" "$PROBE_CREDENTIAL" "$seconds" "$PROBE_NUMBER" >>"$out" & PROBERS+=($!)
    PROBE_NUMBER=$((PROBE_NUMBER + 100000))   # the next probe run numbers its settlements apart
  fi
}
probes_wait() { wait "${PROBERS[@]}"; }

# Per probe: answers by status and the slowest, e.g. "coverage 200×40 503×12 (slowest 0.31 s)".
probe_summary() {
  awk '{ n[$1 " " $2]++; if ($3 > max[$1]) max[$1] = $3; probes[$1] = 1 }
       END { for (p in probes) { line = p; for (k in n) { split(k, f, " "); if (f[1] == p) line = line " " f[2] "×" n[k] }
                                 printf "%s (slowest %.2f s); ", line, max[p] } }' "$1"
}
probes_unanswered() { awk '$2 == "000"' "$1" | wc -l; }
PROBES_UNANSWERED=0

# pg_ctl restart -m fast under load, with the probes meanwhile: each must answer (a 503 while the
# database is away), none may hang.
pg_restart() {
  local probes="$RUN_DIR/pg-restart-probes.txt"
  probes_start 14 "$probes"
  sleep 2
  local t0=$SECONDS
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$RUN_DIR/pg/data" -l "$RUN_DIR/pg/postgres.log" -m fast -w restart >/dev/null
  say "PostgreSQL restarted (pg_ctl restart -m fast, $((SECONDS - t0)) s)"
  probes_wait
  PG_PROBES=$(probe_summary "$probes")
  PROBES_UNANSWERED=$((PROBES_UNANSWERED + $(probes_unanswered "$probes")))
  say "probes during the restart (HTTP status×count): $PG_PROBES"
}

# PostgreSQL hung instead of refusing: every process of the cluster SIGSTOPped (pg_freeze, lib.sh)
# for $1 seconds, then SIGCONT, with the probes from 2 s before to 5 s after. Nothing may be
# called on the database from here meanwhile (sql would hang too).
pg_hang() {
  local seconds=$1 probes="$RUN_DIR/pg-hang-probes.txt"
  probes_start $((seconds + 7)) "$probes"
  sleep 2
  pg_freeze
  say "PostgreSQL hung: SIGSTOP of the postmaster and its $(($(wc -w <<<"$PG_FROZEN") - 1)) children for $seconds s"
  sleep "$seconds"
  pg_thaw
  say "PostgreSQL continued (SIGCONT)"
  probes_wait
  HANG_PROBES=$(probe_summary "$probes")
  PROBES_UNANSWERED=$((PROBES_UNANSWERED + $(probes_unanswered "$probes")))
  # Requests sent after the services noticed are answered at once; those caught in flight wait.
  HANG_HELD=$(awk '$3 > 5' "$probes" | wc -l)
  say "probes during the hang (HTTP status×count): $HANG_PROBES $HANG_HELD answered after more than 5 s"
}

# Poison events, both kinds a bureau could meet, injected under load:
#  (a) one the broker refuses for good: a row put straight into intake's outbox whose payload
#      (1.2 MB) exceeds the producer's message.max.bytes (librdkafka's default 1,000,000; intake
#      refuses such a settlement at the door, so only a row written past it can carry one). The
#      relay must park it in intake's dead letters (source outbox, MSG_SIZE_TOO_LARGE) and go on.
#  (b) two malformed records produced straight onto claims.accepted with rdkafka_performance, as
#      a foreign or broken producer would: one without CloudEvents headers, one with them but a
#      body that is not a claim. smart-review's consumer must dead-letter both and go on.
# The checks then expect exactly these three dead letters (faults-checks.sh: dead_letter_report).
poison_events() {
  POISON_ID="fault-poison-oversized-$RANDOM"
  local headers="{\"ce_id\": \"$POISON_ID\", \"ce_source\": \"/faults\", \"ce_specversion\": \"1.0\", \"ce_type\": \"cn.hsa.claim.accepted\"}"
  sql "INSERT INTO intake.outbox (event_id, topic, key, headers, payload)
       VALUES ('$POISON_ID', 'claims.accepted', 'poison', '$headers', convert_to(repeat('x', 1200000), 'UTF8'))"
  local perf=(~/.cache/medsup/bin/rdkafka_performance -P -t claims.accepted -b "127.0.0.1:$KAFKA_PORT" -c 1 -q)
  "${perf[@]}" -m 'garbage: no CloudEvents headers' >/dev/null 2>&1
  MALFORMED_ID="fault-malformed-$RANDOM"
  "${perf[@]}" -m '{"not": "a claim' -H ce_specversion=1.0 -H "ce_id=$MALFORMED_ID" -H ce_source=/faults \
    -H ce_type=cn.hsa.claim.accepted >/dev/null 2>&1
  say "poison events injected: an oversized outbox row ($POISON_ID, 1.2 MB) and two malformed records on claims.accepted"
  local reviewed_before; reviewed_before=$(reviewed)
  if wait_for poison_pending 60; then say "all three dead-lettered; claims reviewed meanwhile: $(( $(reviewed) - reviewed_before ))"
  else say "warning: the poison events are not all dead-lettered after 60 s: $(dead_letter_report | tr '\n' ' ')"; fi
}

# Two smart-review processes in one consumer group from the start (the second, smart-review-2, on
# HTTP_BASE+5); SIGKILL of the second mid-run, not restarted. Claims are keyed by patn_id over the
# topic's 4 partitions, so the claims accepted after the kill fall on every partition, the killed
# member's too: they are all reviewed (the checks) only if the first took its partitions over.
claim_events_applied() {
  curl -s "$(svc_url "$1")/metrics" | awk '/^events_processed_total\{consumer="claims"\}/ { print $2 }'
}
reviewer_failover() {
  say "two reviewers in one group: smart-review applied $(claim_events_applied smart-review) claim events so far, smart-review-2 $(claim_events_applied smart-review-2)"
  ACCEPTED_AT_FAILOVER=$(accepted)
  svc_kill smart-review-2; unset "SVC_PID[smart-review-2]"
  say "SIGKILL smart-review-2 (not restarted) with $ACCEPTED_AT_FAILOVER claims accepted"
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
  # claims.accepted rows (a round's claims each) leave the outbox once published: those events are the claims accepted in
  # the outage, published after it when smart-review has taken them (or wait_for above timed out).
  local claims="FROM intake.claims c WHERE accepted_at BETWEEN '$OUTAGE_START' AND '$OUTAGE_END'"
  OUTAGE_HELD=$(( $(sql "SELECT count(*) $window AND o.topic <> 'claims.accepted'") + $(sql "SELECT count(*) $claims") ))
  OUTAGE_PUBLISHED=$(( $(sql "SELECT count(*) $window AND o.topic <> 'claims.accepted' AND published_at > '$OUTAGE_END'")
    + $(sql "SELECT count(*) $claims AND NOT EXISTS (SELECT 1 FROM intake.outbox o WHERE o.payload_ref = c.claim_id)
               AND NOT EXISTS (SELECT 1 FROM intake.outbox o, json_array_elements(o.members::json) m WHERE m->>2 = c.claim_id)") ))
  say "broker back: $OUTAGE_HELD events produced during the outage (at most $OUTAGE_MAX unpublished at once), $OUTAGE_PUBLISHED published after it"
}
