#!/usr/bin/env bash
# Fault test: pushes generated settlements through 3102 to the four services while injecting
# SIGKILL of each service at random moments (then a restart), one PostgreSQL restart
# (pg_ctl restart -m fast) and one broker outage; then checks that every accepted claim was
# reviewed once, no finding or claim exists twice, and every event each service published reached
# each consumer (its inbox), none dead-lettered. Prints the figures; exits non-zero on any loss.
#   MEDSUP_FAULT_COUNT   settlements (default 2000)     MEDSUP_FAULT_KILLS   kill rounds, each kills all four (default 2)
#   MEDSUP_FAULT_OUTAGE  broker outage in s (default 60; 0 skips)   MEDSUP_FAULT_PER_CALL  settlements per 3102 call (default 1)
#   MEDSUP_FAULT_PUSHER  demo (medsup demo, default) or python (scripts/fault_pusher.py at MEDSUP_FAULT_RATE/s, default 10)
#   MEDSUP_SCRATCH       SwiftPM scratch path (default .build)
# Output: /var/tmp/medsup-faults (service logs, demo output, probes).
# The test broker (Tansu 0.6, memory:// storage) keeps its log in memory: a restart loses it,
# and this Tansu build has no durable engine (postgres:// and sqlite:// are compiled out). So the
# outage is run honestly for what memory can show: the load is paused until every published
# event was consumed, the broker is killed, the load resumes, and the outbox must hold every
# event produced meanwhile and publish it once the broker is back (README: Faults).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/lib.sh
source scripts/faults-checks.sh
source scripts/faults-inject.sh
RUN_DIR=/var/tmp/medsup-faults PG_PORT=36432 KAFKA_PORT=39192 HTTP_BASE=28180
COUNT="${MEDSUP_FAULT_COUNT:-2000}" KILLS="${MEDSUP_FAULT_KILLS:-2}" OUTAGE="${MEDSUP_FAULT_OUTAGE:-60}"
PER_CALL="${MEDSUP_FAULT_PER_CALL:-1}" RATE="${MEDSUP_FAULT_RATE:-10}"
declare -A KILLED=()
DEMO=
stop() {
  set +e
  [ -n "$DEMO" ] && { kill -CONT "$DEMO"; kill -TERM "$DEMO"; } 2>/dev/null
  svc_stop_all; scripts/infra.sh stop "$RUN_DIR"
}
trap stop EXIT
lib_fresh_infra
lib_build
lib_export_env
say() { echo "[faults] $*"; }
svc_start_all
pause_random() { sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.1f", 2 + (r % 40) / 10 }')"; }

kill_round() {
  for s in $(printf '%s\n' "${SERVICES[@]}" | shuf); do
    pause_random
    svc_kill "$s"; KILLED[$s]=$((${KILLED[$s]:-0} + 1)); say "SIGKILL $s"
    sleep 1; svc_start "$s"; svc_ready "$s"
  done
}

# The demo pushes, then its scripted reviewers decide cases that credit and notification carry
# on (REVIEW_JWT_SECRET is exported by lib.sh); the faults fall in the push. Without a working
# demo (or with MEDSUP_FAULT_PUSHER=python) a paced fixture pusher gives the load instead.
if [ "${MEDSUP_FAULT_PUSHER:-demo}" = demo ] && "$BIN/medsup" demo --help >/dev/null 2>&1; then
  "$BIN/medsup" demo --intake "$(svc_url intake)" --review "$(svc_url smart-review)" --credit "$(svc_url credit)" \
    --notification "$(svc_url notification)" --per-call "$PER_CALL" --count "$COUNT" --seed "$RANDOM" \
    >"$RUN_DIR/demo.out" 2>"$RUN_DIR/demo.err" & DEMO=$!
else
  say "pusher: scripts/fault_pusher.py at $RATE settlements/s (medsup demo unavailable or not chosen)"
  python3 scripts/fault_pusher.py "$(svc_url intake)" "$(lib_operator_token "$(svc_url intake)" "$BIN/medsup")" "$COUNT" "$RATE" >"$RUN_DIR/demo.out" 2>"$RUN_DIR/demo.err" & DEMO=$!
fi
sleep 3
kill -0 "$DEMO" 2>/dev/null || { say "the pusher (medsup demo) did not start:"; tail -5 "$RUN_DIR/demo.err"; exit 1; }
kill_round
pg_restart
[ "$OUTAGE" -gt 0 ] && broker_outage "$OUTAGE"
for _ in $(seq 2 "$KILLS"); do kill_round; done
kill -0 "$DEMO" 2>/dev/null || say "warning: the load ended before the last fault (raise MEDSUP_FAULT_COUNT)"
wait "$DEMO" || { say "the pusher failed:"; tail -5 "$RUN_DIR/demo.err"; exit 1; }
DEMO=
converge
report
