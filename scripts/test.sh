#!/usr/bin/env bash
# Runs every test against a real PostgreSQL 15 and a real Kafka-compatible broker (Tansu),
# both started here on their own ports and stopped at the end. A fresh machine needs nothing
# else: scripts/setup.sh installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
"${MEDSUP_CACHE:-$HOME/.cache/medsup}/venv/bin/python" scripts/check-deploy.py
RUN_DIR="${MEDSUP_TEST_RUN:-$(mktemp -d /tmp/medsup-test.XXXXXX)}"
PG_PORT="${MEDSUP_TEST_PGPORT:-25432}"
KAFKA_PORT="${MEDSUP_TEST_KAFKA_PORT:-29092}"
trap 'scripts/infra.sh stop "$RUN_DIR"' EXIT
scripts/infra.sh start "$PG_PORT" "$KAFKA_PORT" "$RUN_DIR"
export MEDSUP_TEST_KAFKA="127.0.0.1:$KAFKA_PORT" MEDSUP_TEST_PGPORT="$PG_PORT"
swift build --build-tests
swift test --skip-build --disable-swift-testing "$@"
