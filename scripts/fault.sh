#!/usr/bin/env bash
# `make fault` (not in CI): restart PostgreSQL under load. A scratch PostgreSQL cluster is created
# in a temporary folder on its own port (the shared server is never touched), Shoal runs on it under
# gunicorn, and scripts/fault.py sends requests while the database is stopped and started again.
# Expected: only 200s and 503 service_unavailable (in the API error shape, no traceback), and full
# service within 5 s of PostgreSQL accepting connections again. Needs PostgreSQL's server binaries.
set -euo pipefail
cd "$(dirname "$0")/.."
PGBIN="${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
[ -x "$PGBIN/initdb" ] || { echo "!! PostgreSQL server binaries not found (set PGBIN)" >&2; exit 1; }
PGPORT="${SHOAL_FAULT_PG_PORT:-55439}"
WEBPORT="${SHOAL_FAULT_WEB_PORT:-58107}"
work="$(mktemp -d /tmp/shoal-fault.XXXXXX)"
chmod 755 "$work"
as_pg() {  # the server refuses to run as root
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}
mkdir -p "$work/pg"; if [ "$(id -u)" = 0 ]; then chown postgres "$work/pg"; fi
as_pg "$PGBIN/initdb -D $work/pg -U postgres -A trust >/dev/null"
as_pg "$PGBIN/pg_ctl -D $work/pg -o '-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1' -l $work/pg/server.log -w start >/dev/null"
cleanup() {
  [ -n "${web_pid:-}" ] && kill "$web_pid" 2>/dev/null || true
  as_pg "$PGBIN/pg_ctl -D $work/pg -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
as_pg "$PGBIN/createdb -h 127.0.0.1 -p $PGPORT -U postgres shoal_fault"

export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/shoal_fault" SHOAL_VAR_DIR="$work/var"
export SHOAL_TOKEN_RATE="100000/min" SHOAL_DEBUG=0
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py shoal_setup >/dev/null
key=$(.venv/bin/python manage.py shell --no-imports -c "
from shoal.org.models import User
from shoal.org.services import token_create
print(token_create(actor=User.objects.get(username='zhangsan'))[1])")
.venv/bin/gunicorn shoal.wsgi --bind "127.0.0.1:$WEBPORT" --workers 2 --threads 4 --no-control-socket \
  --error-logfile "$work/web.log" >/dev/null 2>&1 &
web_pid=$!
.venv/bin/python scripts/fault.py --url "http://127.0.0.1:$WEBPORT" --token "$key" --log "$work/web.log" \
  --stop "$PGBIN/pg_ctl -D $work/pg -m fast -w stop" \
  --start "$PGBIN/pg_ctl -D $work/pg -o '-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1' -l $work/pg/server.log -w start"
