#!/usr/bin/env bash
# Fault test: pushes generated settlements through 3102 while killing intake and smart-review with
# SIGKILL at random moments (and restarting them), then checks that every accepted claim was
# reviewed, none twice, and no finding or event exists twice. Prints the figures.
#   MEDSUP_FAULT_COUNT  settlements (default 2000)   MEDSUP_FAULT_KILLS  kills per service (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
RUN_DIR=/var/tmp/medsup-faults PG_PORT=36432 KAFKA_PORT=39192 BIN=.build/debug
COUNT="${MEDSUP_FAULT_COUNT:-2000}" KILLS="${MEDSUP_FAULT_KILLS:-3}"
declare -A PID PORT=([intake]=28181 [smart-review]=28182)
stop() { for s in "${!PID[@]}"; do kill -TERM "${PID[$s]}" 2>/dev/null || true; done; wait 2>/dev/null || true; scripts/infra.sh stop "$RUN_DIR"; }
trap stop EXIT
scripts/infra.sh stop "$RUN_DIR" 2>/dev/null || true
rm -rf "$RUN_DIR"
scripts/infra.sh start "$PG_PORT" "$KAFKA_PORT" "$RUN_DIR"
swift build --product intake && swift build --product smart-review && swift build --product medsup
export PGPORT="$PG_PORT" KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT" LOG_LEVEL=warning REVIEW_RECONCILE_SECONDS=5
export INTAKE_ADMIN_TOKEN=demo-operator REVIEW_ADMIN_TOKEN=demo-operator REVIEW_JWT_SECRET=faults INTAKE_REPORT_KEY="$(head -c 32 /dev/urandom | base64)"
start() { HTTP_PORT="${PORT[$1]}" "$BIN/$1" >>"$RUN_DIR/$1.log" 2>&1 & PID[$1]=$!; }
ready() { for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:${PORT[$1]}/ready" >/dev/null && return; sleep 0.5; done; }
for s in intake smart-review; do start "$s"; done
for s in intake smart-review; do ready "$s"; done

"$BIN/medsup" demo --intake "http://127.0.0.1:${PORT[intake]}" --review "http://127.0.0.1:${PORT[smart-review]}" \
  --count "$COUNT" --seed "$RANDOM" >"$RUN_DIR/demo.out" 2>"$RUN_DIR/demo.err" & DEMO=$!
faults=0
for round in $(seq 1 "$KILLS"); do
  for s in smart-review intake; do
    sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.1f", 2 + (r % 40) / 10 }')"
    kill -0 "$DEMO" 2>/dev/null || break 2
    kill -KILL "${PID[$s]}" 2>/dev/null || true; wait "${PID[$s]}" 2>/dev/null || true
    faults=$((faults + 1)); echo "[faults] killed $s (round $round)"
    sleep 1; start "$s"; ready "$s"
  done
done
wait "$DEMO" || { echo "[faults] the pusher failed:"; tail -5 "$RUN_DIR/demo.err"; exit 1; }

sql() { runuser -u postgres -- psql -h "$RUN_DIR/pg" -p "$PG_PORT" -d medsup -qtA -c "$1"; }
accepted=$(sql "SELECT count(*) FROM intake.claims")
for _ in $(seq 1 120); do
  reviewed=$(sql "SELECT count(DISTINCT claim_id) FROM smart_review.reviews")
  [ "$reviewed" -ge "$accepted" ] && break; sleep 1
done
lost=$((accepted - reviewed))
doubled=$(sql "SELECT (SELECT count(*) FROM (SELECT claim_id FROM smart_review.reviews GROUP BY claim_id, rule_set_version HAVING count(*) > 1) r)
                   + (SELECT count(*) FROM (SELECT claim_id, rule_id, body->>'explanation' FROM smart_review.findings GROUP BY 1, 2, 3 HAVING count(*) > 1) f)
                   + (SELECT count(*) FROM (SELECT mdtrt_id FROM intake.claims GROUP BY medins_id, mdtrt_id, setl_id HAVING count(*) > 1) c)")
echo "settlements pushed $COUNT, claims accepted $accepted, reviewed $reviewed, faults injected $faults (SIGKILL), lost $lost, doubled $doubled"
[ "$lost" -eq 0 ] && [ "$doubled" -eq 0 ] && [ "$accepted" -eq "$COUNT" ]
