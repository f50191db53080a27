#!/usr/bin/env bash
# Starts the product on the embedded defaults: SQLite, the GitHub simulator and the dev
# sign-in; no credentials needed. Backend on http://localhost:7007.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
yarn_cmd() { if command -v yarn >/dev/null 2>&1; then yarn "$@"; else corepack yarn "$@"; fi; }
exec yarn_cmd start "$@"
