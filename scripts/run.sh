#!/usr/bin/env bash
# Runs the platform on this machine with embedded defaults: installs what is missing, starts a
# local PostgreSQL and Kafka-compatible broker, builds and starts the services, loads the
# reference data, drives demo traffic through the 3102 interface and prints what happened.
# The services keep running until Ctrl-C, which stops everything cleanly.
#   MEDSUP_DEMO_COUNT   settlements to push (default 3000)
#   MEDSUP_DEMO_REVIEW  workbench items the demo's scripted reviewers decide at most (default 200)
#   MEDSUP_BUILD        debug or release (default debug: the first release build takes long)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/lib.sh   # the operators' bootstrap (lib_export_access, lib_demo_operator)
# PostgreSQL runs as the postgres user, who must be able to reach its data directory.
RUN_DIR="${MEDSUP_RUN_DIR:-/var/tmp/medsup}"
PG_PORT="${MEDSUP_PGPORT:-55432}" KAFKA_PORT="${MEDSUP_KAFKA_PORT:-9092}"
BUILD="${MEDSUP_BUILD:-debug}"
pids=()
stop() {
  trap '' INT TERM; trap - EXIT   # a second Ctrl-C does not cut the clean stop short
  echo; echo "[run] stopping services"
  lib_stop_pids "${pids[@]}"
  scripts/infra.sh stop "$RUN_DIR"
}
trap stop INT TERM EXIT

# A fresh demo each time: the test broker keeps its log in memory only.
scripts/infra.sh stop "$RUN_DIR" 2>/dev/null || true
rm -rf "$RUN_DIR"
scripts/infra.sh start "$PG_PORT" "$KAFKA_PORT" "$RUN_DIR"
swift build -c "$BUILD"
BIN=".build/$BUILD"

export PGPORT="$PG_PORT" KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT" LOG_LEVEL="${LOG_LEVEL:-notice}"
# Operators are persons: the bootstrap administrator (admin) creates demo-operator, whose login the demo uses.
lib_export_access
export REVIEW_JWT_SECRET="$(head -c 32 /dev/urandom | base64)"
export INTAKE_REPORT_KEY="$(head -c 32 /dev/urandom | base64)"
declare -A PORTS=([intake]=8081 [smart-review]=8082 [credit]=8083 [notification]=8084)
for service in intake smart-review credit notification; do
  HTTP_PORT="${PORTS[$service]}" $(svc_launch "$service") "$BIN/$service" >"$RUN_DIR/$service.log" 2>&1 &
  pids+=($!)
done
for service in intake smart-review credit notification; do
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:${PORTS[$service]}/ready" >/dev/null && break
    sleep 0.5
  done
  printf '[run] %-13s %s\n' "$service" "$(curl -s "http://127.0.0.1:${PORTS[$service]}/ready")"
done
NICE_LOOP=$(lib_nice_backends) && [ -n "$NICE_LOOP" ] && pids+=("$NICE_LOOP")

lib_demo_operator "http://127.0.0.1:${PORTS[intake]}" "$BIN/medsup"
# The demo logs in as demo-operator (MEDSUP_OPERATOR, MEDSUP_OPERATOR_PASSWORD); its scripted reviewers sign their workbench
# tokens with REVIEW_JWT_SECRET, which it reads from the environment (exported above, never on the command line).
"$BIN/medsup" demo --count "${MEDSUP_DEMO_COUNT:-3000}" --review-items "${MEDSUP_DEMO_REVIEW:-200}"
# The reviewer console: one demo account per post in Changsha (430100), password "<user>-demo".
OPERATOR_TOKEN="$(lib_operator_token "http://127.0.0.1:${PORTS[intake]}" "$BIN/medsup")"
for account in first:first_reviewer second:second_reviewer legal:legal_reviewer supervisor:supervisor auditor:auditor admin:admin; do
  user="${account%%:*}" role="${account#*:}"
  curl -sf -X PUT "http://127.0.0.1:${PORTS[smart-review]}/api/admin/reviewers/$user" -H "Authorization: Bearer $OPERATOR_TOKEN" \
    -H "Content-Type: application/json" -d "{\"role\":\"$role\",\"admdvs\":\"430100\",\"password\":\"$user-demo\"}" >/dev/null \
    || echo "[run] could not create the console account $user"
done
echo "[run] reviewer console: http://127.0.0.1:${PORTS[smart-review]}/console — users first, second, legal, supervisor, auditor, admin;"
echo "[run]   password <user>-demo (e.g. first / first-demo), region 430100 (湖南省长沙市)"
echo "[run] operators: admin / $OPERATOR_BOOTSTRAP_PASSWORD (platform administrator), demo-operator / $MEDSUP_OPERATOR_PASSWORD (every role);"
echo "[run]   export MEDSUP_OPERATOR=demo-operator MEDSUP_OPERATOR_PASSWORD=$MEDSUP_OPERATOR_PASSWORD to use .build/$BUILD/medsup"
echo "[run] logs in $RUN_DIR; the platform keeps running. Ctrl-C stops everything."
wait "${pids[0]}"
