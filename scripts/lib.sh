# Helpers shared by scripts/faults.sh, fuzz.sh, bench.sh and profile.sh (sourced, not run): build into a
# scratch path, start the four services on loopback against a run directory's infrastructure,
# wait for them, kill or stop them, and query PostgreSQL.
#   MEDSUP_SCRATCH  SwiftPM scratch path (default .build); binaries are taken from $MEDSUP_SCRATCH/<configuration>
#   MEDSUP_BUILD_CONFIG  debug (default) or release: a fault run at the release build's rate
# Callers set RUN_DIR, PG_PORT, KAFKA_PORT and HTTP_BASE (intake listens on HTTP_BASE+1, then
# smart-review, credit, notification).
SERVICES=(intake smart-review credit notification)
SCRATCH="${MEDSUP_SCRATCH:-.build}"
BUILD_CONFIG="${MEDSUP_BUILD_CONFIG:-debug}"
BIN="$SCRATCH/$BUILD_CONFIG"
# SVC_BIN names the executable of an instance whose name is not its binary's (a second
# smart-review in scripts/faults.sh is "smart-review-2"); SVC_PORT of such an instance is set by the caller.
declare -A SVC_PID SVC_PORT SVC_BIN

# Only what the scripts run: a half-finished unrelated target does not stop them.
lib_build() { for p in "${SERVICES[@]}" medsup; do swift build -c "$BUILD_CONFIG" --scratch-path "$SCRATCH" --product "$p"; done; }

# The environment every service reads; the secrets are fixed defaults because only loopback sees them.
lib_export_env() {
  local i=1
  for s in "${SERVICES[@]}"; do SVC_PORT[$s]=$((HTTP_BASE + i)); i=$((i + 1)); done
  export PGPORT="$PG_PORT" KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT" LOG_LEVEL="${LOG_LEVEL:-warning}" REVIEW_RECONCILE_SECONDS=5
  lib_export_access
  export REVIEW_JWT_SECRET="${REVIEW_JWT_SECRET:-medsup-loopback-workbench-secret-0001}"
  export INTAKE_REPORT_KEY="${INTAKE_REPORT_KEY:-$(head -c 32 /dev/urandom | base64)}"
}

# Operators are persons (README "Operators are persons"): the services share OPERATOR_JWT_SECRET; intake accepts the
# bootstrap administrator while no platform administrator exists; lib_demo_operator then creates the
# scripts' own person, demo-operator, with every operator role, whose login the CLI uses (MEDSUP_OPERATOR).
lib_export_access() {
  # The loopback demo's console is plain http: its session cookie cannot be Secure (deploy/ keeps the default, on).
  export REVIEW_CONSOLE_SECURE_COOKIE="${REVIEW_CONSOLE_SECURE_COOKIE:-false}"
  # The demo's key sealing webhook secrets at rest (notification); a deployment sets its own.
  export NOTIFY_SECRET_KEY="${NOTIFY_SECRET_KEY:-bWVkc3VwLWRlbW8td2ViaG9vay1zZWFsaW5nLWtleSE=}"
  export OPERATOR_JWT_SECRET="${OPERATOR_JWT_SECRET:-medsup-loopback-operator-secret-0001}"
  # A demo or fault run outlasts the 15-minute default, and the CLI logs in once per command.
  export OPERATOR_TOKEN_SECONDS="${OPERATOR_TOKEN_SECONDS:-7200}"
  export OPERATOR_BOOTSTRAP_USER="${OPERATOR_BOOTSTRAP_USER:-admin}" OPERATOR_BOOTSTRAP_PASSWORD="${OPERATOR_BOOTSTRAP_PASSWORD:-admin-demo-password}"
  export MEDSUP_OPERATOR=demo-operator MEDSUP_OPERATOR_PASSWORD="${MEDSUP_DEMO_OPERATOR_PASSWORD:-demo-operator-password}"
}

# Creates demo-operator as the bootstrap administrator (once intake answers); $1: intake's URL, $2: the medsup binary.
lib_demo_operator() {
  # Assignments before a command expand left to right: the demo operator's name and password are taken first.
  local user="$MEDSUP_OPERATOR" password="$MEDSUP_OPERATOR_PASSWORD"
  MEDSUP_OPERATOR="$OPERATOR_BOOTSTRAP_USER" MEDSUP_OPERATOR_PASSWORD="$OPERATOR_BOOTSTRAP_PASSWORD" \
    MEDSUP_NEW_OPERATOR_PASSWORD="$password" "$2" set-operator --intake "$1" "$user" \
    --roles platform_administrator,reference_data_maintainer,rule_publisher,credit_officer,notification_administrator,auditor >/dev/null
}

# A fresh short-lived operator token of demo-operator; $1: intake's URL, $2: the medsup binary.
lib_operator_token() { "$2" operator-token --intake "$1"; }

# The real-time door first: on one machine the services behind intake (smart-review, credit,
# notification) run at a lower CPU priority, MEDSUP_BEHIND_NICE (default 5; 0: equal). A 3102 call
# is a HIS waiting at the cashier's desk; the review behind the door takes a peak into its Kafka
# partitions and catches up after it. Nice 5 weighs them 335 against intake's 1,024, near
# docker-compose.yml's cpu_shares (256 against 1,024); at 10 (110, the default until session 31) the
# review fell ~1-2% behind a 2,000/s offer while the door's p99 was no better (README, session 31).
BEHIND_NICE=${MEDSUP_BEHIND_NICE:-5}
svc_nice() { if [ "${1%%-[0-9]*}" = intake ]; then echo 0; else echo "$BEHIND_NICE"; fi; }
# The command that starts a service at its priority: `nice` as above, or with MEDSUP_BEHIND_CLASS=idle
# the services behind intake in Linux's SCHED_IDLE class (SERVICE_CPU_CLASS=idle: a core only when no
# other thread wants it; README "Performance", session 19, measured no clear gain).
svc_launch() {
  if [ "${1%%-[0-9]*}" != intake ] && [ "${MEDSUP_BEHIND_CLASS:-normal}" = idle ]; then echo "env SERVICE_CPU_CLASS=idle"; else echo "nice -n $(svc_nice "$1")"; fi
}

# The same priority for their PostgreSQL sessions: PostgreSQL runs a session's statements in a
# backend process of its own, which the service's nice does not reach, so the review's reads and
# writes took the cores as intake's did. Sessions are named by their schema (`application_name`);
# pools open them as they need them, so the loop looks every 2 s. Prints the loop's pid, for the
# caller to stop with its services. Nothing when the level is 0; it needs root (as CI and the
# benchmarks run), since the backends are PostgreSQL's processes: otherwise it does nothing.
# MEDSUP_BEHIND_SESSIONS_NICE sets the sessions' level apart from the processes' (to measure; session 29:
# sessions at 0 against 10 in two pairs, no clear order).
lib_nice_backends() {
  local level=${MEDSUP_BEHIND_SESSIONS_NICE:-$BEHIND_NICE}
  [ "$level" = 0 ] && return 0
  ( while sleep 2; do
      for pid in $(sql "SELECT pid FROM pg_stat_activity WHERE application_name IN ('smart_review', 'credit', 'notification')" 2>/dev/null); do
        renice -n "$level" -p "$pid" >/dev/null 2>&1 || true
      done
    done ) >/dev/null 2>&1 &
  echo $!
}

svc_url() { echo "http://127.0.0.1:${SVC_PORT[$1]}"; }
svc_start() { HTTP_PORT="${SVC_PORT[$1]}" $(svc_launch "$1") "$BIN/${SVC_BIN[$1]:-$1}" >>"$RUN_DIR/$1.log" 2>&1 & SVC_PID[$1]=$!; }

# Waits until /ready answers 200 (at most 60 s); fails loudly otherwise.
svc_ready() {
  for _ in $(seq 1 120); do curl -sf "$(svc_url "$1")/ready" >/dev/null && return 0; sleep 0.5; done
  echo "[lib] $1 not ready: $(curl -s "$(svc_url "$1")/ready")" >&2; return 1
}

svc_start_all() {
  for s in "${SERVICES[@]}"; do svc_start "$s"; done
  for s in "${SERVICES[@]}"; do svc_ready "$s"; done
  local loop; loop=$(lib_nice_backends) && [ -n "$loop" ] && SVC_PID[nice-backends]=$loop
  lib_demo_operator "$(svc_url intake)" "$BIN/medsup"
}

svc_kill() { kill -KILL "${SVC_PID[$1]}" 2>/dev/null || true; wait "${SVC_PID[$1]}" 2>/dev/null || true; }

# SIGTERM (a clean stop) to every started service, and SIGKILL for whatever still runs 20 s later.
svc_stop_all() { lib_stop_pids "${SVC_PID[@]}"; SVC_PID=(); }

# SIGTERM to the given processes, and SIGKILL, named, for any still running 20 s later: a service
# that did not stop (credit and notification twice in session 13's benchmark runs, after their HTTP
# had closed) held the script's `wait`, its port and the run's infrastructure until killed by hand.
lib_stop_pids() {
  local pid left
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 40); do
    left=(); for pid in "$@"; do kill -0 "$pid" 2>/dev/null && left+=("$pid"); done
    [ ${#left[@]} -eq 0 ] && break; sleep 0.5
  done
  for pid in "${left[@]}"; do
    echo "[stop] pid $pid ($(cat /proc/"$pid"/comm 2>/dev/null)) did not stop within 20 s of SIGTERM: killed; its threads' stacks in $(lib_stacks "$pid")" >&2
    kill -KILL "$pid" 2>/dev/null || true
  done
  for pid in "$@"; do wait "$pid" 2>/dev/null || true; done
}

# Every thread's stack of a process that would not stop, before it is killed (gdb, else a note),
# into a file under /tmp named by the process: prints the file's path.
lib_stacks() {
  local file="/tmp/medsup-stall-$(cat /proc/"$1"/comm 2>/dev/null)-$1.txt"
  if command -v gdb >/dev/null; then
    timeout 60 gdb -p "$1" -batch -ex "set pagination off" -ex "thread apply all bt" >"$file" 2>&1 || true
  else
    echo "no gdb on this machine: no stacks" >"$file"
  fi
  echo "$file"
}

# A fresh PostgreSQL and broker under RUN_DIR (the test broker keeps its log in memory).
lib_fresh_infra() {
  scripts/infra.sh stop "$RUN_DIR" 2>/dev/null || true
  rm -rf "$RUN_DIR"
  scripts/infra.sh start "$PG_PORT" "$KAFKA_PORT" "$RUN_DIR"
}

# The benchmarks' run (bench.sh, profile.sh): fresh infrastructure, stopped on exit with every
# process the caller adds to `pids`, and the release build in a scratch path of its own, so that
# it never holds the lock of the debug one.
lib_release_run() {
  pids=()
  trap 'lib_stop_pids "${pids[@]}"; scripts/infra.sh stop "$RUN_DIR"' EXIT
  lib_fresh_infra
  swift build -c release --scratch-path .build-release
}

# PostgreSQL hung rather than refusing (a frozen host, a storage stall): SIGSTOP of the postmaster
# alone proves little, because the backends already serving the services' pooled connections go
# on answering; so the postmaster is stopped first (it can fork no new backend then) and then every
# process of its cluster, its children. pg_thaw continues them in the same order.
pg_freeze() {
  local postmaster
  postmaster=$(head -1 "$RUN_DIR/pg/data/postmaster.pid")
  kill -STOP "$postmaster"
  PG_FROZEN="$postmaster $(pgrep -P "$postmaster" | tr '\n' ' ')"
  kill -STOP $PG_FROZEN
}
pg_thaw() { [ -z "${PG_FROZEN:-}" ] || kill -CONT $PG_FROZEN; PG_FROZEN=; }

# CPU clock ticks (user + system, every thread) and context switches (voluntary and not, every
# thread) of a set of processes, and PostgreSQL's processes: what profile.sh and bench.sh idle weigh.
proc_ticks() { local total=0 f p; for p in "$@"; do read -r -a f <"/proc/$p/stat" 2>/dev/null || continue; total=$((total + f[13] + f[14])); done; echo "$total"; }
proc_switches() { local total=0 p; for p in "$@"; do total=$((total + $(cat /proc/"$p"/task/*/status 2>/dev/null | awk '/ctxt_switches/ { n += $2 } END { print n + 0 }'))); done; echo "$total"; }
postgres_pids() { pgrep -u postgres postgres | tr '\n' ' '; }

sql() { runuser -u postgres -- psql -h "$RUN_DIR/pg" -p "$PG_PORT" -d medsup -qtA -c "$1"; }
