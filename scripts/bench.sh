#!/usr/bin/env bash
# Prints the platform's throughput and latency figures, each beside the raw limit measured in the
# same run on this machine (release build, local Tansu broker and PostgreSQL 15):
#   1. Kafka layer vs librdkafka's rdkafka_performance (produce and consume)
#   2. outbox to Kafka
#   3. intake's bulk path vs raw COPY of the same rows, and end to end to reviewed claims
#   4. the rule engine alone (claims/s, p99) with its recall on labelled traffic
#   5. 3101 latency at 1,000 requests/s vs a bare Hummingbird endpoint
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# A scratch path of its own, so that a release build never holds the lock of the debug one.
RUN_DIR=/var/tmp/medsup-bench PG_PORT=35432 KAFKA_PORT=39092 BIN=.build-release/release COUNT="${MEDSUP_BENCH_COUNT:-20000}"
pids=()
stop() { for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; scripts/infra.sh stop "$RUN_DIR"; }
trap stop EXIT
scripts/infra.sh stop "$RUN_DIR" 2>/dev/null || true
rm -rf "$RUN_DIR"
scripts/infra.sh start "$PG_PORT" "$KAFKA_PORT" "$RUN_DIR"
swift build -c release --scratch-path .build-release
B="127.0.0.1:$KAFKA_PORT"

if [ -z "${MEDSUP_BENCH_SKIP_KAFKA:-}" ]; then
  echo; echo "== 1. Kafka layer"; "$BIN/medsup-bench" kafka --brokers "$B" --count 200000 2>/dev/null
  echo; echo "== 2. Outbox"; "$BIN/medsup-bench" outbox --brokers "$B" --pg-port "$PG_PORT" --count 100000 2>/dev/null
fi

export PGPORT="$PG_PORT" KAFKA_BROKERS="$B" LOG_LEVEL=warning INTAKE_ADMIN_TOKEN=demo-operator REVIEW_ADMIN_TOKEN=demo-operator REVIEW_JWT_SECRET="$(head -c 32 /dev/urandom | base64)"
export INTAKE_REPORT_KEY="$(head -c 32 /dev/urandom | base64)" INTAKE_RATE_PER_SECOND=100000 INTAKE_MAX_BODY_BYTES=268435456
HTTP_PORT=18081 "$BIN/intake" >"$RUN_DIR/intake.log" 2>&1 & pids+=($!)
HTTP_PORT=18082 "$BIN/smart-review" >"$RUN_DIR/smart-review.log" 2>&1 & pids+=($!)
"$BIN/medsup-bench" bare-server --port 18999 >/dev/null 2>&1 & pids+=($!)
for port in 18081 18082; do for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.5; done; done

echo; echo "== 3. intake bulk path and end to end"
"$BIN/medsup-bench" intake --intake http://127.0.0.1:18081 --pg-port "$PG_PORT" --count "$COUNT" --end-to-end 2>&1 | grep -v librdkafka
echo "memory (RSS): intake $(($(ps -o rss= -p "${pids[0]}") / 1024)) MiB, smart-review $(($(ps -o rss= -p "${pids[1]}") / 1024)) MiB"

echo; echo "== 4. Rule engine alone"; "$BIN/rule-quality" reference/kb --count "$COUNT" | tail -n 6

echo; echo "== 5. 3101 latency at 1,000 requests/s (10 s each)"
SECRET=$(curl -s -X PUT -H "Authorization: Bearer demo-operator" http://127.0.0.1:18081/api/admin/credentials/H43010000001 | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')
printf 'bare Hummingbird endpoint: '; python3 scripts/latency.py http://127.0.0.1:18999/api/his scripts/bench/3101.json --rate 1000 --seconds 10
printf 'intake 3101:               '; python3 scripts/latency.py http://127.0.0.1:18081/api/his scripts/bench/3101.json --rate 1000 --seconds 10 \
  --auth "Bearer H43010000001:$SECRET"
