#!/usr/bin/env bash
# Fuzzes the HTTP APIs of the four services from their own OpenAPI documents (/openapi.yaml)
# with schemathesis, on loopback against a fresh PostgreSQL and broker: no request may get a 5xx
# or take longer than the limit. Each credential the APIs know is used for the operations it
# opens (operator token, an institution's 3101/3102/3103 credential, a minted workbench JWT), so
# the fuzzer reaches the handlers rather than stopping at 401.
#   MEDSUP_FUZZ_EXAMPLES  examples per operation and phase (default 15: about 2-3 minutes in all)
#   MEDSUP_FUZZ_MAX_TIME  response time limit in s (default 5)
#   MEDSUP_FUZZ_SEED      fuzzer seed (default random; printed, so a failure replays)
#   MEDSUP_SCRATCH        SwiftPM scratch path (default .build)
# Reports (JUnit and a pytest file reproducing each failure) land in /var/tmp/medsup-fuzz/reports.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/lib.sh
RUN_DIR=/var/tmp/medsup-fuzz PG_PORT=36532 KAFKA_PORT=39292 HTTP_BASE=28280
EXAMPLES="${MEDSUP_FUZZ_EXAMPLES:-15}" MAX_TIME="${MEDSUP_FUZZ_MAX_TIME:-5}" SEED="${MEDSUP_FUZZ_SEED:-$RANDOM}"
ST="${MEDSUP_CACHE:-$HOME/.cache/medsup}/venv/bin/schemathesis"
trap 'svc_stop_all; scripts/infra.sh stop "$RUN_DIR"' EXIT
lib_fresh_infra
lib_build
lib_export_env
svc_start_all
mkdir -p "$RUN_DIR/reports"

# An HS256 workbench token (WorkbenchToken.mint) for a supervisor of the whole province.
workbench_token() {
  "${ST%/schemathesis}/python" - "$REVIEW_JWT_SECRET" <<'PY'
import base64, hashlib, hmac, json, sys, time
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
head = b64(b'{"alg":"HS256","typ":"JWT"}')
body = b64(json.dumps({"sub": "fuzzer", "role": "supervisor", "admdvs": "430000", "exp": int(time.time()) + 3600}).encode())
mac = hmac.new(sys.argv[1].encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
print(f"{head}.{body}.{b64(mac)}")
PY
}
INSTITUTION=H43010000001
OPERATOR=$(lib_operator_token "$(svc_url intake)" "$BIN/medsup")
SECRET=$(curl -sf -X PUT -H "Authorization: Bearer $OPERATOR" "$(svc_url intake)/api/admin/credentials/$INSTITUTION" \
  | "${ST%/schemathesis}/python" -c 'import json, sys; print(json.load(sys.stdin)["secret"])')
JWT=$(workbench_token)

failed=()
# One worker: with two, hypothesis 6 (under schemathesis 4.32.5) fails on its own shared caches
# ("AST constructor recursion depth mismatch", "dictionary changed size during iteration").
fuzz() { # name service token [schemathesis filter options...]
  local name=$1 service=$2 token=$3; shift 3
  echo "[fuzz] $name"
  SCHEMATHESIS_HOOKS=fuzz_hooks PYTHONPATH=scripts "$ST" run "$(svc_url "$service")/openapi.yaml" --url "$(svc_url "$service")" -H "Authorization: Bearer $token" \
    --checks not_a_server_error --max-response-time "$MAX_TIME" --request-timeout 30 \
    --phases examples,coverage,fuzzing --max-examples "$EXAMPLES" --seed "$SEED" --workers 1 --no-shrink \
    --suppress-health-check all --warnings off \
    --report junit,pytest --report-dir "$RUN_DIR/reports/$name" "$@" >"$RUN_DIR/reports/$name.txt" 2>&1 \
    || failed+=("$name")
  tail -n 4 "$RUN_DIR/reports/$name.txt" | sed "s/^/[fuzz]   /"
}
echo "[fuzz] seed $SEED, $EXAMPLES examples per operation, responses within $MAX_TIME s"
fuzz intake-national intake "$INSTITUTION:$SECRET" --include-path-regex '^/api/his'
fuzz intake-operator intake "$OPERATOR" --exclude-path-regex '^/api/his'
fuzz review-operator smart-review "$OPERATOR" --exclude-path-regex '^/api/(workbench|audit)'
fuzz review-workbench smart-review "$JWT" --include-path-regex '^/api/(workbench|audit)'
fuzz credit credit "$OPERATOR"
fuzz notification notification "$OPERATOR"
for s in "${SERVICES[@]}"; do
  if grep -qiE 'fatal|panic|Fatal error' "$RUN_DIR/$s.log"; then failed+=("$s crashed"); fi
  kill -0 "${SVC_PID[$s]}" 2>/dev/null || failed+=("$s exited")
done
[ ${#failed[@]} -eq 0 ] && { echo "[fuzz] no 5xx, no slow answer, no crash"; exit 0; }
echo "[fuzz] FAILED: ${failed[*]} (details in $RUN_DIR/reports)"; exit 1
