#!/usr/bin/env bash
# One command to set everything up and serve the app: installs what is missing,
# builds the release bundle with Trunk, and serves dist/ on http://127.0.0.1:8080/.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$repo_root/.tools/node_modules/.bin:$PATH"
port="${PORT:-8080}"
echo "[serve] building the release bundle with Trunk"
trunk build --release
echo "[serve] open http://127.0.0.1:${port}/"
exec node scripts/static-server.mjs dist "$port" /
