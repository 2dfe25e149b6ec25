#!/usr/bin/env bash
# Prints the platform's throughput and latency figures, each beside the raw limit measured in the
# same run on this machine (release build, local Tansu broker and PostgreSQL 15):
#   1. Kafka layer vs librdkafka's rdkafka_performance (produce and consume)
#   2. outbox to Kafka
#   3. intake's bulk path vs raw COPY of the same rows, and end to end to reviewed claims; 3101 calls at
#      100/s while it pushes (a backfill must not hold up the cashier's desk); twice: intake alone (the
#      services behind it stopped during the push and the COPY), then with them running;
#      MEDSUP_BENCH_INTAKE_COUNT (60000) settlements each: a push of 20,000 lasts ~1.5 s, and filling and draining
#      the pipeline (the first lines checked, the last round committed) weighs on it (0.43x against 0.48-0.52x alone)
#   4. the rule engine alone (claims/s, p99) with its recall on labelled traffic, and intake's edge
#      alone (reading and checking a settlement, µs each)
#   5. 3101 latency at 1,000 requests/s vs a bare Hummingbird endpoint
#   6. load: generated traffic offered at MEDSUP_LOAD_RATE settlements/s (default 1000) for
#      MEDSUP_LOAD_SECONDS (60) through the bulk and 3102 paths, with the four services running:
#      sustained claims/s end to end, 3102 p50/p99, memory of each service, COPY and librdkafka ratios;
#      MEDSUP_LOAD_LATENCY_LOG names a CSV file for every 3102 call (when it left, its latency);
#      MEDSUP_BENCH_REVIEWERS (1) smart-review processes share the review
#   7. curve: the load of 6 offered at each of MEDSUP_CURVE_RATES (1000 2000 4000 8000) settlements/s
#      for MEDSUP_CURVE_SECONDS (20) each, sustained figure and memory after each
#   0. idle: the four services ready and nothing offered, for MEDSUP_IDLE_SECONDS (20): the CPU each
#      process takes (ms a second; PostgreSQL's and the broker's too) and each service's wake-ups
#      (context switches a second): what the platform costs a machine before any claim arrives
# `scripts/bench.sh load` (or any of idle kafka outbox intake engine latency load curve) runs only those parts;
# with no argument, all but the curve.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/lib.sh
RUN_DIR=/var/tmp/medsup-bench PG_PORT=${MEDSUP_BENCH_PGPORT:-35432} KAFKA_PORT=${MEDSUP_BENCH_KAFKA_PORT:-39092} COUNT="${MEDSUP_BENCH_COUNT:-20000}" INTAKE_COUNT="${MEDSUP_BENCH_INTAKE_COUNT:-60000}"
lib_release_run
BIN=.build-release/release
B="127.0.0.1:$KAFKA_PORT"
PARTS="${*:-kafka outbox idle intake engine latency load}"
part() { [[ " $PARTS " == *" $1 "* ]]; }

if part kafka; then echo; echo "== 1. Kafka layer"; "$BIN/medsup-bench" kafka --brokers "$B" --count 200000 2>/dev/null; fi
if part outbox; then echo; echo "== 2. Outbox"; "$BIN/medsup-bench" outbox --brokers "$B" --pg-port "$PG_PORT" --count 100000 2>/dev/null; fi

export PGPORT="$PG_PORT" KAFKA_BROKERS="$B" LOG_LEVEL=warning REVIEW_JWT_SECRET="$(head -c 32 /dev/urandom | base64)"
export INTAKE_REPORT_KEY="$(head -c 32 /dev/urandom | base64)" INTAKE_RATE_PER_SECOND=100000 INTAKE_MAX_BODY_BYTES=268435456
lib_export_access
declare -A PORT=([intake]=18081 [smart-review]=18082 [credit]=18083 [notification]=18084) PID
for s in intake smart-review credit notification; do HTTP_PORT="${PORT[$s]}" $(svc_launch "$s") "$BIN/$s" >"$RUN_DIR/$s.log" 2>&1 & PID[$s]=$!; pids+=($!); done
# MEDSUP_BENCH_REVIEWERS (1): more smart-review processes in the same consumer group, sharing the
# partitions of claims.accepted, as a bureau scales the review out.
for n in $(seq 2 "${MEDSUP_BENCH_REVIEWERS:-1}"); do
  PORT[smart-review-$n]=$((18090 + n)); HTTP_PORT="${PORT[smart-review-$n]}" $(svc_launch smart-review) "$BIN/smart-review" >"$RUN_DIR/smart-review-$n.log" 2>&1 &
  PID[smart-review-$n]=$!; pids+=($!)
done
"$BIN/medsup-bench" bare-server --port 18999 >/dev/null 2>&1 & pids+=($!)
for port in "${PORT[@]}"; do for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.5; done; done
NICE_LOOP=$(lib_nice_backends) && [ -n "$NICE_LOOP" ] && pids+=("$NICE_LOOP")
lib_demo_operator http://127.0.0.1:18081 "$BIN/medsup"
export MEDSUP_OPERATOR_TOKEN="$(lib_operator_token http://127.0.0.1:18081 "$BIN/medsup")"
memory() { printf 'memory (RSS):'; for s in "${!PID[@]}"; do printf ' %s %d MiB' "$s" $(($(ps -o rss= -p "${PID[$s]}") / 1024)); done; echo; }

if part idle; then
  seconds=${MEDSUP_IDLE_SECONDS:-20}
  echo; echo "== 0. Idle: the services ready, nothing offered, for $seconds s"
  sleep 5 # the start-up's own work (migrations, reference data, the first polls) done
  declare -A IDLE_PIDS=([tansu]="$(cat "$RUN_DIR/tansu.pid")" [PostgreSQL]="$(postgres_pids)")
  for s in intake smart-review credit notification; do IDLE_PIDS[$s]=${PID[$s]}; done
  declare -A T0 W0
  for s in "${!IDLE_PIDS[@]}"; do T0[$s]=$(proc_ticks ${IDLE_PIDS[$s]}); done
  for s in intake smart-review credit notification; do W0[$s]=$(proc_switches "${PID[$s]}"); done
  sleep "$seconds"
  for s in intake smart-review credit notification tansu PostgreSQL; do
    printf '%-13s %5d ms of CPU a second' "$s" $(( ($(proc_ticks ${IDLE_PIDS[$s]}) - T0[$s]) * 1000 / $(getconf CLK_TCK) / seconds ))
    [ -n "${W0[$s]:-}" ] && printf ', %5d context switches a second' $(( ($(proc_switches "${PID[$s]}") - W0[$s]) / seconds ))
    echo
  done
fi

if part intake; then
  echo; echo "== 3. intake bulk path and end to end"
  # Twice: first intake alone, the services behind it stopped until the COPY baseline has run (as the
  # COPY runs alone; they review the claims after), then with them running behind it at their
  # priority (the review takes a share of the cores during the push).
  behind=(); for s in "${!PID[@]}"; do [ "$s" != intake ] && behind+=("${PID[$s]}"); done
  "$BIN/medsup-bench" intake --intake http://127.0.0.1:18081 --pg-port "$PG_PORT" --count "$INTAKE_COUNT" --end-to-end --pause "${behind[@]}" 2>&1 | grep -v librdkafka
  memory
  "$BIN/medsup-bench" intake --intake http://127.0.0.1:18081 --pg-port "$PG_PORT" --count "$INTAKE_COUNT" --end-to-end 2>&1 | grep -v librdkafka
  memory
fi

if part engine; then
  echo; echo "== 4. Rule engine alone"; "$BIN/rule-quality" reference/kb --count "$COUNT" | tail -n 6
  echo "intake's edge alone (reading and checking each bulk line, no I/O):"; "$BIN/medsup-bench" edge --count "$COUNT"
fi

if part latency; then
echo; echo "== 5. 3101 latency at 1,000 requests/s (10 s each)"
SECRET=$(curl -s -X PUT -H "Authorization: Bearer $MEDSUP_OPERATOR_TOKEN" http://127.0.0.1:18081/api/admin/credentials/H43010000001 | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')
printf 'bare Hummingbird endpoint: '; python3 scripts/latency.py http://127.0.0.1:18999/api/his scripts/bench/3101.json --rate 1000 --seconds 10
printf 'intake 3101:               '; python3 scripts/latency.py http://127.0.0.1:18081/api/his scripts/bench/3101.json --rate 1000 --seconds 10 \
  --auth "Bearer H43010000001:$SECRET"
fi

if part load; then
  echo; echo "== 6. Load at ${MEDSUP_LOAD_RATE:-1000} settlements/s for ${MEDSUP_LOAD_SECONDS:-60} s"
  "$BIN/medsup-bench" load --intake http://127.0.0.1:18081 --brokers "$B" --pg-port "$PG_PORT" \
    --rate "${MEDSUP_LOAD_RATE:-1000}" --seconds "${MEDSUP_LOAD_SECONDS:-60}" ${MEDSUP_LOAD_LATENCY_LOG:+--latency-log "$MEDSUP_LOAD_LATENCY_LOG"} \
    2>&1 | grep -v librdkafka
  memory
fi

if part curve; then
  for rate in ${MEDSUP_CURVE_RATES:-1000 2000 4000 8000}; do
    echo; echo "== 7. Curve: offered $rate settlements/s for ${MEDSUP_CURVE_SECONDS:-20} s"
    "$BIN/medsup-bench" load --intake http://127.0.0.1:18081 --brokers "$B" --pg-port "$PG_PORT" \
      --rate "$rate" --seconds "${MEDSUP_CURVE_SECONDS:-20}" 2>&1 | grep -v librdkafka
    memory
  done
fi
