#!/usr/bin/env bash
# Install the Debian packages the suite needs (PostgreSQL server, Chromium) when missing.
set -euo pipefail

missing=()
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
[ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ] || missing+=(postgresql)
# pg_dump and pg_restore (flask backup) come with postgresql; the client alone on app hosts.
command -v pg_dump >/dev/null && command -v pg_restore >/dev/null || missing+=(postgresql-client)
[ -x /usr/bin/chromium ] || missing+=(chromium chromium-driver)
if [ ${#missing[@]} -eq 0 ]; then
  echo "system-deps: PostgreSQL (server and client tools) and Chromium already installed"
  exit 0
fi
echo "system-deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
