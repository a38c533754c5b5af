#!/usr/bin/env bash
# Installs and starts the real services the test suite talks to: PostgreSQL 15 (Debian's
# packages) and Debian's chromium + chromedriver for the dashboard's browser test.
#
# Idempotent: packages already installed are not installed again, and a cluster already
# running is reused. Progress goes to standard error. The variables the tests read are
# WHIMBREL_TEST_POSTGRES (a postgresql:// URL to a database the tests may wipe) and
# WHIMBREL_CHROMIUM / WHIMBREL_CHROMEDRIVER (the browser and its driver). Two ways to get them:
#
#     source .ci/services.sh            # what .ci/run does: exports them into the calling shell
#     eval "$(bash .ci/services.sh)"    # run as a program it prints `export NAME=value` lines
if (return 0 2>/dev/null); then
  _whimbrel_sourced=1
else
  _whimbrel_sourced=0
  set -euo pipefail
fi

PG_VERSION=15
PG_CLUSTER=whimbrel
PG_PORT=${WHIMBREL_PG_PORT:-54329}
PG_USER=whimbrel
PG_PASSWORD=whimbrel
PG_DB=whimbrel_test

log() { echo "services: $*" >&2; }

emit() {  # emit NAME VALUE: export it when sourced, print the export line when run
  if [ "$_whimbrel_sourced" = 1 ]; then export "$1=$2"; else echo "export $1=$2"; fi
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

install_missing() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    as_root apt-get update -qq >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  fi
}

start_postgres() {
  install_missing "postgresql-$PG_VERSION" postgresql-client-common postgresql-common
  if ! pg_lsclusters -h 2>/dev/null | awk '{print $2}' | grep -qx "$PG_CLUSTER"; then
    log "creating cluster $PG_VERSION/$PG_CLUSTER on port $PG_PORT"
    as_root pg_createcluster "$PG_VERSION" "$PG_CLUSTER" --port "$PG_PORT" >&2
  fi
  if ! pg_lsclusters -h | awk -v c="$PG_CLUSTER" '$2 == c {print $4}' | grep -qx online; then
    log "starting cluster $PG_VERSION/$PG_CLUSTER"
    as_root pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start >&2
  fi
  local port
  port=$(pg_lsclusters -h | awk -v c="$PG_CLUSTER" '$2 == c {print $3}')
  # The role owns its database, so the tests may drop and recreate the public schema.
  as_root su postgres -c "psql -q -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$PG_USER'\"" | grep -q 1 \
    || as_root su postgres -c "psql -q -p $port -c \"CREATE ROLE $PG_USER LOGIN PASSWORD '$PG_PASSWORD'\"" >&2
  as_root su postgres -c "psql -q -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname='$PG_DB'\"" | grep -q 1 \
    || as_root su postgres -c "createdb -p $port -O $PG_USER $PG_DB" >&2
  emit WHIMBREL_TEST_POSTGRES "postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:$port/$PG_DB"
}

install_chromium() {
  install_missing chromium chromium-driver
  emit WHIMBREL_CHROMIUM "$(command -v chromium)"
  emit WHIMBREL_CHROMEDRIVER "$(command -v chromedriver)"
}

start_postgres
install_chromium
log "ready"
