#!/usr/bin/env bash
# Installs the PostgreSQL and Redis server binaries the app tests run against, from Debian packages,
# only when they are missing. The tests start their own throwaway servers on free ports; nothing here
# starts a service.
set -euo pipefail

have_postgres() { compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null; }
have_redis() { command -v redis-server >/dev/null 2>&1; }

missing=()
have_postgres || missing+=(postgresql postgresql-contrib)
have_redis || missing+=(redis-server)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
else
  sudo_cmd=()
fi
echo "installing test services: ${missing[*]}" >&2
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts the packaged services on install; the tests use their own servers, so stop them.
"${sudo_cmd[@]}" service redis-server stop >/dev/null 2>&1 || true
"${sudo_cmd[@]}" service postgresql stop >/dev/null 2>&1 || true
