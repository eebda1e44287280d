#!/usr/bin/env bash
# Runs the app on its defaults from a fresh checkout: installs npm dependencies and the default model
# when missing, builds, then opens the desktop app — or, without Electron's binary, the browser host.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/setup.sh
setup_node_modules
if [ -f scripts/models/setup-default-model.sh ]; then step "default model"; bash scripts/models/setup-default-model.sh || echo "(default model unavailable: the app still starts; see README → Models)"; fi
step "build"
node scripts/build.mjs
step "start"
exec node bin/evolve.cjs start "$@"
