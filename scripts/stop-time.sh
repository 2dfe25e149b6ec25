#!/usr/bin/env bash
# How long intake and smart-review take to stop after SIGTERM with the broker and PostgreSQL both
# gone (issue 15). Starts its own PostgreSQL and broker, the two services (from .build/debug),
# waits until they are ready, kills the broker, stops PostgreSQL at once, sends SIGTERM and prints
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
kill -9 "$(cat "$RUN_DIR/tansu.pid")"; rm -f "$RUN_DIR/tansu.pid"
runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$RUN_DIR/pg/data" -m immediate stop >/dev/null
sleep "${MEDSUP_STOP_AWAY:-3}"   # let the services notice both are gone
status=0
declare -A started
for s in "${SERVICES[@]}"; do started[$s]=$(date +%s.%N); kill -TERM "${SVC_PID[$s]}"; done
for s in "${SERVICES[@]}"; do
  deadline=$(( $(date +%s) + 60 ))
  while kill -0 "${SVC_PID[$s]}" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.05; done
  if kill -0 "${SVC_PID[$s]}" 2>/dev/null; then echo "$s: still running 60 s after SIGTERM"; kill -9 "${SVC_PID[$s]}"; status=1; continue; fi
  took=$(echo "$(date +%s.%N) - ${started[$s]}" | bc)
  printf '%s stopped %.1f s after SIGTERM\n' "$s" "$took"
  if [ "$(echo "$took > $LIMIT" | bc)" = 1 ]; then status=1; fi
done
[ $status = 0 ] || { echo "logs in $RUN_DIR"; trap - EXIT; scripts/infra.sh stop "$RUN_DIR" >/dev/null 2>&1 || true; }
exit $status
