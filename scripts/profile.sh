#!/usr/bin/env bash
# Where the CPU time per claim goes, process by process and function by function, sampled by perf:
#   scripts/profile.sh [claims] [rate]   (default 20000 claims offered at 1000/s by `medsup-bench load`)
#   MEDSUP_PROFILE_SHARE3102 (0.1): the share sent as single 3102 calls; 0 and 1 profile the two paths apart.
#   MEDSUP_PROFILE_DWARF (unset): a service (intake, smart-review) also recorded alone with DWARF unwinding for
#     10 s once it is busy: whole stacks, so its inclusive times hold (the machine-wide record's
#     frame-pointer stacks break inside Foundation and the runtime).
#   MEDSUP_PROFILE_TRACK (top): pg_stat_statements.track; `all` also lists the statements run inside the
#     functions and procedures planned once (a round's write, the history lookup) by what each costs.
#   MEDSUP_PROFILE_DWARF_AFTER (0): seconds to wait, once the service is busy, before that recording: the
#     late part of a long run (the archive and the persons' histories grown) profiles differently.
# The release build of the four services runs against its own PostgreSQL and broker while
# `perf record -a -e cpu-clock` samples the whole machine (the software clock: this machine's
# hardware counters are not available, and valgrind 3.19 cannot run Swift 6.3's binaries). Prints
# CPU µs per claim for each process (services, PostgreSQL, the broker, the load generator itself)
# and the heaviest functions of intake and smart-review, inclusive of what they call.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-20000}
RATE=${2:-1000}
bash scripts/setup.sh
command -v perf >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-perf >/dev/null; }
RUN_DIR=/var/tmp/medsup-profile PG_PORT=${MEDSUP_PROFILE_PGPORT:-45532} KAFKA_PORT=${MEDSUP_PROFILE_KAFKA_PORT:-49192}
HZ=499
# pg_stat_statements says which statements PostgreSQL's share of the time goes to (parse and plan included).
export MEDSUP_PG_OPTIONS="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_planning=on -c pg_stat_statements.track=${MEDSUP_PROFILE_TRACK:-top}"
source scripts/lib.sh
lib_release_run
BIN=.build-release/release
export PGPORT="$PG_PORT" KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT" LOG_LEVEL=warning
export REVIEW_JWT_SECRET="$(head -c 32 /dev/urandom | base64)" INTAKE_REPORT_KEY="$(head -c 32 /dev/urandom | base64)"
export INTAKE_RATE_PER_SECOND=100000 INTAKE_MAX_BODY_BYTES=268435456
lib_export_access
declare -A PORT=([intake]=28081 [smart-review]=28082 [credit]=28083 [notification]=28084) PID
for s in intake smart-review credit notification; do HTTP_PORT="${PORT[$s]}" $(svc_launch "$s") "$BIN/$s" >"$RUN_DIR/$s.log" 2>&1 & PID[$s]=$!; pids+=($!); done
for port in "${PORT[@]}"; do for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.5; done; done
NICE_LOOP=$(lib_nice_backends) && [ -n "$NICE_LOOP" ] && pids+=("$NICE_LOOP")
lib_demo_operator "http://127.0.0.1:${PORT[intake]}" "$BIN/medsup"
export MEDSUP_OPERATOR_TOKEN="$(lib_operator_token "http://127.0.0.1:${PORT[intake]}" "$BIN/medsup")"
# Context switches (proc_switches, lib.sh): each is a wake-up paid for by both sides, so the count a
# claim says how much the pipeline hands work between threads.
declare -A BEFORE
declare -A SWITCHES
for s in intake smart-review credit notification; do BEFORE[$s]=$(proc_ticks "${PID[$s]}"); SWITCHES[$s]=$(proc_switches "${PID[$s]}"); done
SWITCHES[tansu]=$(proc_switches "$(cat "$RUN_DIR/tansu.pid")")
BEFORE[tansu]=$(proc_ticks "$(cat "$RUN_DIR/tansu.pid")")
perf record -a -g -e cpu-clock -F "$HZ" -o "$RUN_DIR/perf.data" >"$RUN_DIR/perf.log" 2>&1 & PERF=$!
rm -f "$RUN_DIR/pg-roles.stop" "$RUN_DIR/pg-roles.names"
python3 scripts/pg-cpu-by-role.py "$RUN_DIR/pg-roles.stop" "$RUN_DIR/pg-roles.names" "$COUNT" >"$RUN_DIR/pg-roles.txt" 2>&1 & PG_ROLES=$!; pids+=("$PG_ROLES")
PG_BEFORE=$(proc_ticks $(postgres_pids)) PG_SWITCHES=$(proc_switches $(postgres_pids))
sql "CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset(); SELECT pg_stat_reset()" >/dev/null
"$BIN/medsup-bench" load --intake "http://127.0.0.1:${PORT[intake]}" --brokers "127.0.0.1:$KAFKA_PORT" --pg-port "$PG_PORT" \
  --rate "$RATE" --seconds $((COUNT / RATE)) --share3102 "${MEDSUP_PROFILE_SHARE3102:-0.1}" --skip-baselines > >(grep -v librdkafka) 2>&1 & BENCH=$!
BENCH_TICKS=0
if [[ -n ${MEDSUP_PROFILE_DWARF:-} ]]; then
  # From when the service is busy (it has used a second of CPU since the push began: the load
  # generator first spends seconds making its traffic), for 10 s.
  ( start=$(proc_ticks "${PID[$MEDSUP_PROFILE_DWARF]}")
    while (( $(proc_ticks "${PID[$MEDSUP_PROFILE_DWARF]}") - start < $(getconf CLK_TCK) )); do sleep 0.2; done
    sleep "${MEDSUP_PROFILE_DWARF_AFTER:-0}"
    perf record -p "${PID[$MEDSUP_PROFILE_DWARF]}" --call-graph dwarf,16384 -F 199 -o "$RUN_DIR/dwarf.data" -- sleep 10 \
      >"$RUN_DIR/dwarf.log" 2>&1 ) & DWARF=$!
fi
while kill -0 "$BENCH" 2>/dev/null; do BENCH_TICKS=$(proc_ticks "$BENCH"); sleep 0.5; done
wait "$BENCH"
# Each PostgreSQL session named by the process at the other end of its socket (the bench's own
# polls after the push are medsup-bench's, not intake's, though both set application_name intake).
sql "SELECT pid, client_port FROM pg_stat_activity WHERE client_port > 0" | tr '|' ' ' | while read -r backend port; do
  client=$(ss -Htnp state established "( sport = :$port and dport = :$PG_PORT )" | grep -o '(("[^"]*"' | head -1 | tr -d '("')
  echo "$backend ${client:-unknown client}"
done >"$RUN_DIR/pg-roles.names"
touch "$RUN_DIR/pg-roles.stop"; wait "$PG_ROLES" || true
PG_AFTER=$(proc_ticks $(postgres_pids)) PG_SWITCHES=$(( $(proc_switches $(postgres_pids)) - PG_SWITCHES ))
for s in intake smart-review credit notification; do SWITCHES[$s]=$(( $(proc_switches "${PID[$s]}") - SWITCHES[$s] )); done
SWITCHES[tansu]=$(( $(proc_switches "$(cat "$RUN_DIR/tansu.pid")") - SWITCHES[tansu] ))
kill -INT "$PERF"; wait "$PERF" || true
HZ_TICKS=$(getconf CLK_TCK)
us() { echo $(( $1 * 1000000 / HZ_TICKS / COUNT )); }
echo
echo "CPU time per claim by process (user + system, from /proc, over the run of $COUNT claims):"
for s in intake smart-review credit notification; do printf '%9d µs  %s\n' "$(us $(( $(proc_ticks "${PID[$s]}") - BEFORE[$s] )))" "$s"; done
printf '%9d µs  %s\n' "$(us $(( $(proc_ticks "$(cat "$RUN_DIR/tansu.pid")") - BEFORE[tansu] )))" "Tansu broker"
printf '%9d µs  %s\n' "$(us $(( PG_AFTER - PG_BEFORE )))" "PostgreSQL (backends still running at the end)"
printf '%9d µs  %s\n' "$(us "$BENCH_TICKS")" "medsup-bench load (the HIS side: generating, encoding, HTTP client)"
echo
echo "PostgreSQL's CPU time per claim by role (every postgres process, sampled every 0.25 s; a session by its client):"
cat "$RUN_DIR/pg-roles.txt"
echo
echo "Context switches per claim (every thread, voluntary and not):"
for s in intake smart-review credit notification tansu; do printf '%9s  %s\n' "$(awk -v n="${SWITCHES[$s]}" -v c="$COUNT" 'BEGIN { printf "%.2f", n / c }')" "$s"; done
printf '%9s  %s\n' "$(awk -v n="$PG_SWITCHES" -v c="$COUNT" 'BEGIN { printf "%.2f", n / c }')" "PostgreSQL (backends running at the end)"
for s in intake smart-review; do
  echo
  echo "$s (pid ${PID[$s]}): heaviest functions, inclusive (share of its perf samples, CPU µs per claim)"
  total=$(perf script -i "$RUN_DIR/perf.data" --pid "${PID[$s]}" -F pid 2>/dev/null | grep -cE '^ *[0-9]+ *$' || true)
  perf report -i "$RUN_DIR/perf.data" --children --pid "${PID[$s]}" -g none --sort sym --percentage relative --stdio 2>/dev/null \
    | grep -E '^ +[0-9.]+%' | awk '$1+0 <= 100' | head -60 | swift demangle --simplified \
    | awk -v total="$total" -v hz="$HZ" -v n="$COUNT" '{ p = $1; sub("%", "", p); $1 = ""; $2 = ""; printf "%6.1f%% %7.0f µs  %s\n", p, p / 100 * total * 1e6 / hz / n, substr($0, 1, 150) }' || true # head closes the pipe early
done

if [[ -n ${MEDSUP_PROFILE_DWARF:-} ]]; then
  wait "$DWARF" || true
  echo
  echo "$MEDSUP_PROFILE_DWARF alone, DWARF stacks over 10 s: heaviest functions, inclusive (share of its samples)"
  perf report -i "$RUN_DIR/dwarf.data" --children -g none --sort sym --percentage relative --stdio 2>/dev/null \
    | grep -E '^ +[0-9.]+%' | awk '$1+0 <= 100' | head -90 | swift demangle --simplified | cut -c1-170 || true
fi

echo
echo "PostgreSQL: heaviest statements (plan + execution and plan alone, wall µs per claim; calls per claim; rows a call)"
sql "SELECT to_char((total_plan_time + total_exec_time) * 1000 / $COUNT, '99990.0') || ' µs ' || to_char(total_plan_time * 1000 / $COUNT, '9990.0') || ' plan ' || to_char(calls::numeric / $COUNT, '990.00') || ' calls ' || to_char(rows::numeric / greatest(calls, 1), '99990.0') || ' rows a call  ' || regexp_replace(left(query, 100), '\\s+', ' ', 'g') FROM pg_stat_statements ORDER BY total_plan_time + total_exec_time DESC LIMIT 25"
sql "SELECT 'all statements: ' || to_char(sum(calls)::numeric / $COUNT, '990.00') || ' a claim, planning ' || to_char(sum(total_plan_time) * 1000 / $COUNT, '9990.0') || ' µs a claim, executing ' || to_char(sum(total_exec_time) * 1000 / $COUNT, '99990.0') || ' µs' FROM pg_stat_statements"

echo
echo "PostgreSQL: tables read by sequential scans (rows read by them over the run)"
sql "SELECT schemaname || '.' || relname || ': ' || seq_scan || ' scans, ' || seq_tup_read || ' rows; ' || coalesce(idx_scan, 0) || ' index scans' FROM pg_stat_user_tables WHERE seq_tup_read > 0 ORDER BY seq_tup_read DESC LIMIT 10"
