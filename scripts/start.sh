#!/usr/bin/env bash
# Runs the app on its defaults from a fresh checkout: installs what it needs when it can (system packages as root
# or with passwordless sudo, npm dependencies, the default model), builds, then opens the desktop app — or, without
# Electron's binary, the browser host. What it cannot install it names with the exact command, then starts anyway.
# Env: EVOLVE_SKIP_SYSTEM_PACKAGES=1 leaves apt alone; npm_config_cache and EVOLVE_MODEL_CACHE reuse caches.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/setup.sh

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "Node.js 20.19+ and npm are needed: see https://nodejs.org or (Debian) sudo apt-get install -y nodejs npm" >&2
  exit 1
fi
if [ "${EVOLVE_SKIP_SYSTEM_PACKAGES:-0}" != "1" ]; then setup_system_packages "${APP_APT_PACKAGES[@]}"; fi
setup_node_modules
setup_models app
setup_embedding_model
setup_python_tools app
step "build"
node scripts/build.mjs
step "start"
exec node bin/evolve.cjs start "$@"
