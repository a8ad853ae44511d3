#!/usr/bin/env bash
# `make run`: install what is missing, build the web app, migrate, seed on first run, start Shoal.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh base
scripts/web.sh
PY=.venv/bin/python

echo "==> migrating the database"
$PY manage.py migrate --no-input -v0
$PY manage.py collectstatic --no-input -v0
$PY manage.py shoal_setup

port="${SHOAL_PORT:-8000}"
host="${SHOAL_HOST:-127.0.0.1}"
cat <<MSG

  Shoal 销售管理 is starting on http://${host}:${port}

  Sign in as admin with the password printed above on the first run (or SHOAL_ADMIN_PASSWORD);
  you will be asked to change it. Lost it? .venv/bin/python manage.py changepassword admin
MSG
if [ -f var/demo-password.txt ]; then
  echo "  Demo users (e.g. zhangsan 销售代表, chenjing 部门经理, wangzong 总经理) sign in with the"
  echo "  demo password: $(cat var/demo-password.txt)"
fi
echo "  Stop with Ctrl+C."
echo

exec .venv/bin/honcho start -f Procfile
