#!/usr/bin/env bash
# How long each of the four services takes to stop after SIGTERM whatever is down (issue 15: within
# 10 s). Per case, fresh PostgreSQL and broker, the four services (from $MEDSUP_SCRATCH/debug),
# ready, 5 settlements pushed, then the case's fault, a few seconds for the services to notice,
# SIGTERM to all four, and each one's stop time, taken when its process is gone:
#   broker    the broker killed before the push (the events wait in intake's outbox, the relay retrying)
#   pg-down   PostgreSQL stopped with -m immediate after the push
#   pg-hung   every process of the PostgreSQL cluster SIGSTOPped after the push (pg_freeze, lib.sh):
#             connections stay open and nothing answers; SIGCONT after the measurement
#   both      the broker killed before the push, PostgreSQL stopped -m immediate after it
#   none      nothing down: the ordinary stop, for comparison
# Exits 1 if a service takes longer than MEDSUP_STOP_LIMIT seconds (10) in any case.
#   MEDSUP_STOP_CASES ("none broker pg-down pg-hung both"), MEDSUP_STOP_AWAY (3 s)
#   MEDSUP_STOP_PGPORT (45432), MEDSUP_STOP_KAFKA_PORT (49092), MEDSUP_STOP_HTTP_BASE (48080)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
PG_PORT="${MEDSUP_STOP_PGPORT:-45432}" KAFKA_PORT="${MEDSUP_STOP_KAFKA_PORT:-49092}" HTTP_BASE="${MEDSUP_STOP_HTTP_BASE:-48080}"
LIMIT="${MEDSUP_STOP_LIMIT:-10}"
BASE="$(mktemp -d /tmp/medsup-stop.XXXXXX)" RUN_DIR=   # each case runs in $BASE/<case>, its logs kept
chmod a+rx "$BASE"   # PostgreSQL runs as postgres: it must reach its data directory below
trap 'pg_thaw 2>/dev/null; svc_stop_all 2>/dev/null; [ -z "$RUN_DIR" ] || scripts/infra.sh stop "$RUN_DIR" >/dev/null 2>&1 || true' EXIT
lib_export_env
export INTAKE_REFERENCE_DIR=reference/kb REVIEW_REFERENCE_DIR=reference/kb
kill_broker() { kill -9 "$(cat "$RUN_DIR/tansu.pid")"; rm -f "$RUN_DIR/tansu.pid"; }
stop_pg() { runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$RUN_DIR/pg/data" -m immediate stop >/dev/null; }

# One case: $1 its name; prints a line per service, returns 1 if one is over the limit.
measure() {
  local case=$1 s status=0
  RUN_DIR="$BASE/$case"
  # (measure runs under ||, where set -e is off: a failed start ends the case by hand)
  lib_fresh_infra || { echo "$case: the infrastructure did not start"; return 1; }
  for s in "${SERVICES[@]}"; do svc_start "$s"; done
  for s in "${SERVICES[@]}"; do svc_ready "$s" || return 1; done
  lib_demo_operator "$(svc_url intake)" "$BIN/medsup"
  case $case in broker|both) kill_broker ;; esac
  # Settlements accepted just before the fault: with the broker away their events wait in the
  # outbox, and the relay is in the middle of trying to send them when PostgreSQL goes too.
  python3 scripts/fault_pusher.py "$(svc_url intake)" "$(lib_operator_token "$(svc_url intake)" "$BIN/medsup")" 5 50 >/dev/null
  case $case in pg-down|both) stop_pg ;; pg-hung) pg_freeze ;; esac
  sleep "${MEDSUP_STOP_AWAY:-3}"   # let the services notice
  declare -A started=() took=()
  for s in "${SERVICES[@]}"; do started[$s]=$(date +%s.%N); kill -TERM "${SVC_PID[$s]}"; done
  # All are watched together, each stop time taken when its process is gone.
  local deadline=$(( $(date +%s) + 60 )) stopped=0
  while [ $stopped -lt ${#SERVICES[@]} ] && [ "$(date +%s)" -lt "$deadline" ]; do
    for s in "${SERVICES[@]}"; do
      if [ -z "${took[$s]:-}" ] && ! kill -0 "${SVC_PID[$s]}" 2>/dev/null; then
        took[$s]=$(echo "$(date +%s.%N) - ${started[$s]}" | bc); stopped=$((stopped + 1))
      fi
    done
    sleep 0.05
  done
  local line="$case:"
  for s in "${SERVICES[@]}"; do
    if [ -z "${took[$s]:-}" ]; then line+=" $s still running after 60 s (killed);"; kill -9 "${SVC_PID[$s]}"; status=1; continue; fi
    line+=$(printf ' %s %.1f s;' "$s" "${took[$s]}")
    [ "$(echo "${took[$s]} > $LIMIT" | bc)" = 1 ] && status=1
  done
  echo "$line"
  SVC_PID=()
  pg_thaw
  scripts/infra.sh stop "$RUN_DIR" 2>/dev/null
  return $status
}

result=0
for case in ${MEDSUP_STOP_CASES:-none broker pg-down pg-hung both}; do measure "$case" || result=1; done
[ $result = 0 ] || echo "a service took longer than $LIMIT s; logs in $BASE/<case>"
exit $result
