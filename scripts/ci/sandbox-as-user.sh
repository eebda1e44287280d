#!/usr/bin/env bash
# Runs the codegen sandbox suites as an unprivileged account (created when missing), the way a user runs the app:
# the sandbox then uses a user namespace instead of root's uid drop. The root run of the same suites (npm test, CI)
# already re-runs the hostile programs as this user via runuser; this covers the rest of the suites too. Needs root.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SBX_USER="${EVOLVE_SBX_TEST_USER:-evolve-sbx-test}"
if [ "$(id -u)" -ne 0 ]; then
  echo "sandbox-as-user: run as root (it switches to $SBX_USER)" >&2
  exit 2
fi
id -u "$SBX_USER" >/dev/null 2>&1 || useradd -m "$SBX_USER"
cd "$ROOT"
# --configLoader runner: the user cannot write vitest's bundled config into node_modules/.vite-temp.
exec runuser -u "$SBX_USER" -- env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="/home/$SBX_USER" LANG=C.UTF-8 \
  node_modules/.bin/vitest run --configLoader runner \
  test/unit/codegen/sandbox-argv.test.ts test/unit/codegen/sandbox-sweep.test.ts test/integration/codegen/sandbox.test.ts \
  test/integration/codegen/sandbox-hostile.test.ts
