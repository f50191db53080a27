#!/usr/bin/env bash
# Installs the repo's dependencies on a fresh machine: Yarn through corepack (pointed at
# the npm registry this machine uses) and `yarn install --immutable`. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
export COREPACK_NPM_REGISTRY="${COREPACK_NPM_REGISTRY:-$(npm config get registry 2>/dev/null | sed 's:/*$::')}"
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
# node-gyp builds better-sqlite3 against the installed Node headers (no header download).
export npm_config_nodedir="${npm_config_nodedir:-/usr}"
if ! command -v yarn >/dev/null 2>&1 || ! yarn --version 2>/dev/null | grep -q '^4\.'; then
  corepack enable >/dev/null 2>&1 || true
fi
yarn_cmd() { if command -v yarn >/dev/null 2>&1; then yarn "$@"; else corepack yarn "$@"; fi; }
if [ ! -f node_modules/.yarn-state.yml ] || [ yarn.lock -nt node_modules/.yarn-state.yml ] || [ "${FORCE_INSTALL:-}" = 1 ]; then
  yarn_cmd install --immutable
fi
