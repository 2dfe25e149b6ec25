#!/usr/bin/env bash
# How long intake and smart-review take to stop after SIGTERM with the broker and PostgreSQL both
# gone (issue 15). Starts its own PostgreSQL and broker, the two services (from .build/debug),
# waits until they are ready, kills the broker, pushes 5 settlements (their events wait in the
# outbox), stops PostgreSQL at once, sends SIGTERM and prints
# each service's stop time; exits 1 if one takes longer than MEDSUP_STOP_LIMIT seconds (10).
#   MEDSUP_STOP_PGPORT (45432), MEDSUP_STOP_KAFKA_PORT (49092), MEDSUP_STOP_HTTP_BASE (48080)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
SERVICES=(intake smart-review)
PG_PORT="${MEDSUP_STOP_PGPORT:-45432}" KAFKA_PORT="${MEDSUP_STOP_KAFKA_PORT:-49092}" HTTP_BASE="${MEDSUP_STOP_HTTP_BASE:-48080}"
LIMIT="${MEDSUP_STOP_LIMIT:-10}"
RUN_DIR="$(mktemp -d /tmp/medsup-stop.XXXXXX)"
trap 'scripts/infra.sh stop "$RUN_DIR" >/dev/null 2>&1 || true' EXIT
lib_fresh_infra
lib_export_env
export INTAKE_REFERENCE_DIR=reference/kb REVIEW_REFERENCE_DIR=reference/kb
for s in "${SERVICES[@]}"; do svc_start "$s"; done
for s in "${SERVICES[@]}"; do svc_ready "$s"; done
lib_demo_operator "$(svc_url intake)" "$BIN/medsup"
OPERATOR=$(lib_operator_token "$(svc_url intake)" "$BIN/medsup")
kill -9 "$(cat "$RUN_DIR/tansu.pid")"; rm -f "$RUN_DIR/tansu.pid"
# Settlements accepted while the broker is away: their events wait in intake's outbox, and the
# relay is in the middle of trying to send them when PostgreSQL goes too.
python3 scripts/fault_pusher.py "$(svc_url intake)" "$OPERATOR" 5 50 >/dev/null
runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$RUN_DIR/pg/data" -m immediate stop >/dev/null
sleep "${MEDSUP_STOP_AWAY:-3}"   # let the services notice both are gone
status=0
declare -A started
for s in "${SERVICES[@]}"; do started[$s]=$(date +%s.%N); kill -TERM "${SVC_PID[$s]}"; done
# Both are watched together, each stop time taken when its process is gone.
declare -A took=()
deadline=$(( $(date +%s) + 60 )) stopped=0
while [ $stopped -lt ${#SERVICES[@]} ] && [ "$(date +%s)" -lt "$deadline" ]; do
  for s in "${SERVICES[@]}"; do
    if [ -z "${took[$s]:-}" ] && ! kill -0 "${SVC_PID[$s]}" 2>/dev/null; then
      took[$s]=$(echo "$(date +%s.%N) - ${started[$s]}" | bc); stopped=$((stopped + 1))
    fi
  done
  sleep 0.05
done
for s in "${SERVICES[@]}"; do
  if [ -z "${took[$s]:-}" ]; then echo "$s: still running 60 s after SIGTERM"; kill -9 "${SVC_PID[$s]}"; status=1; continue; fi
  printf '%s stopped %.1f s after SIGTERM\n' "$s" "${took[$s]}"
  if [ "$(echo "${took[$s]} > $LIMIT" | bc)" = 1 ]; then status=1; fi
done
[ $status = 0 ] || { echo "logs in $RUN_DIR"; trap - EXIT; scripts/infra.sh stop "$RUN_DIR" >/dev/null 2>&1 || true; }
exit $status
