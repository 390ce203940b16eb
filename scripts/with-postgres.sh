#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL server on 127.0.0.1, stopped even on failure.
#   scripts/with-postgres.sh .venv/bin/pytest
set -euo pipefail

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pg_bin" ]; then
  echo "with-postgres: no PostgreSQL server found (run 'make system-deps')" >&2
  exit 1
fi
port=${PGTEST_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
workdir=$(mktemp -d /tmp/filet-pg.XXXXXX)
chmod 755 "$workdir"

# initdb refuses to run as root: run the server as the unprivileged `postgres` user then.
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$workdir" postgres
  chown postgres "$workdir"
  as_pg=(runuser -u postgres --)
fi

stop() {
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap stop EXIT INT TERM

"${as_pg[@]}" "$pg_bin/initdb" -D "$workdir/data" -U postgres --auth=trust --encoding=UTF8 \
  --locale=C.UTF-8 >"$workdir/initdb.log" 2>&1 || { cat "$workdir/initdb.log" >&2; exit 1; }
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w \
  -o "-h 127.0.0.1 -p $port -k $workdir -c fsync=off -c full_page_writes=off" start >/dev/null
"${as_pg[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres filet_test

echo "with-postgres: PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$port/filet_test" "$@"
