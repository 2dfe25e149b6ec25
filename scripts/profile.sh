#!/usr/bin/env bash
# Where one service spends its instructions per claim, counted by valgrind's callgrind (perf's
# counters are not available on every machine; callgrind counts the same on a busy one):
#   scripts/profile.sh <intake|smart-review> [claims]   (default 3000)
# The release build of the four services runs against its own PostgreSQL and broker; the named
# service runs under callgrind with collection switched on only while `medsup-bench intake
# --end-to-end` pushes the claims through the bulk path and waits until smart-review reviewed
# them. Prints the instructions per claim of the top functions (inclusive), and PostgreSQL's CPU
# time per claim over the same span, so the database's share is measured too, not guessed.
set -euo pipefail
cd "$(dirname "$0")/.."
SERVICE=${1:?intake or smart-review}
COUNT=${2:-3000}
bash scripts/setup.sh
command -v valgrind >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null; }
RUN_DIR=/var/tmp/medsup-profile PG_PORT=${MEDSUP_PROFILE_PGPORT:-45532} KAFKA_PORT=${MEDSUP_PROFILE_KAFKA_PORT:-49192} BIN=.build-release/release
pids=()
stop() { for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; scripts/infra.sh stop "$RUN_DIR"; }
trap stop EXIT
scripts/infra.sh stop "$RUN_DIR" 2>/dev/null || true
rm -rf "$RUN_DIR"
scripts/infra.sh start "$PG_PORT" "$KAFKA_PORT" "$RUN_DIR"
swift build -c release --scratch-path .build-release
export PGPORT="$PG_PORT" KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT" LOG_LEVEL=warning INTAKE_ADMIN_TOKEN=demo-operator REVIEW_ADMIN_TOKEN=demo-operator
export REVIEW_JWT_SECRET="$(head -c 32 /dev/urandom | base64)" INTAKE_REPORT_KEY="$(head -c 32 /dev/urandom | base64)"
export INTAKE_RATE_PER_SECOND=100000 INTAKE_MAX_BODY_BYTES=268435456
declare -A PORT=([intake]=28081 [smart-review]=28082) PID
OUT="$RUN_DIR/callgrind.out"
for s in intake smart-review; do
  if [ "$s" = "$SERVICE" ]; then
    HTTP_PORT="${PORT[$s]}" valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$OUT" "$BIN/$s" >"$RUN_DIR/$s.log" 2>&1 &
  else
    HTTP_PORT="${PORT[$s]}" "$BIN/$s" >"$RUN_DIR/$s.log" 2>&1 &
  fi
  PID[$s]=$!; pids+=($!)
done
for port in "${PORT[@]}"; do for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.5; done; done
# The first claims warm caches and connections outside the counted span.
"$BIN/medsup-bench" intake --intake "http://127.0.0.1:${PORT[intake]}" --pg-port "$PG_PORT" --count 200 --end-to-end >/dev/null 2>&1
pg_cpu() { local total=0; for p in $(pgrep -u postgres postgres); do read -r -a f <"/proc/$p/stat" 2>/dev/null || continue; total=$((total + f[13] + f[14])); done; echo "$total"; }
before=$(pg_cpu)
callgrind_control -i on "${PID[$SERVICE]}" >/dev/null
"$BIN/medsup-bench" intake --intake "http://127.0.0.1:${PORT[intake]}" --pg-port "$PG_PORT" --count "$COUNT" --end-to-end 2>&1 | grep -v librdkafka
callgrind_control -i off "${PID[$SERVICE]}" >/dev/null
after=$(pg_cpu)
callgrind_control -d "${PID[$SERVICE]}" >/dev/null
sleep 2
ticks=$(getconf CLK_TCK)
echo
echo "PostgreSQL CPU over the span: $(( (after - before) * 1000000 / ticks / COUNT )) µs per claim (all backends; includes the other service's statements)"
echo "$SERVICE under callgrind, $COUNT claims: instructions per claim, inclusive, top functions"
dump=$(ls -t "$OUT"* | head -1)
total=$(callgrind_annotate "$dump" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",","",$1); print $1; exit}')
echo "total: $((total / COUNT)) instructions per claim"
callgrind_annotate --inclusive=yes --threshold=99 "$dump" 2>/dev/null | awk -v n="$COUNT" '
  /^ *[0-9,]+ .*\*/ || /^ *[0-9,]+ \(/ { c=$1; gsub(",","",c); $1=""; if (shown++ < 60) printf "%12d  %s\n", c / n, substr($0, 1, 160) }'
