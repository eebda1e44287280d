#!/usr/bin/env bash
# The whole test suite from a fresh checkout: installs what it needs (system packages when root, npm
# dependencies, the Python side and model files when their setup scripts exist), builds, then runs
# format/lint/type checks, unit, integration and E2E tests. Prints a final "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/setup.sh

setup_system_packages
setup_node_modules
setup_optional_components

step "build"
node scripts/build.mjs

failed=0
run_check() { local name=$1; shift; step "$name"; if ! "$@"; then echo "FAILED: $name"; failed=$((failed + 1)); fi; }

run_check "format" npx prettier --check .
run_check "lint" npx eslint .
run_check "typecheck" npm run -s typecheck
# CI (.ci/run) also runs README line 1 on a fresh machine: start.sh in clean clones, as root and as a user without libsecret.
if [ "${EVOLVE_START_SMOKE:-0}" = 1 ]; then run_check "fresh-machine start" bash scripts/ci/start-smoke.sh; fi
# The codegen eval's fixed CI slice (2 problems, Qwen 0.5B, k=2, N=1, ~2 min on 2 cores): fails on a crash or a
# contract break, never on pass rates.
run_check "codegen eval (CI slice)" npm run -s eval:codegen -- --ci
# The optimisation eval's fixed CI slice (py-dedupe-keep-order, Qwen 0.5B, 1 proposal, small sizes; 95 s alone,
# under load): fails when a problem comes back without a decision, never on whether the model found a speed-up.
run_check "optimize eval (CI slice)" npm run -s eval:optimize -- --ci

mkdir -p artifacts
report=artifacts/vitest-report.json
step "tests (unit, integration, e2e)"
set +e
with_keyring npx vitest run --reporter=default --reporter=json --outputFile="$report"
vitest_status=$?
set -e

python_status=0
if [ -x scripts/python/test-python.sh ]; then
  step "python tests"
  set +e
  bash scripts/python/test-python.sh --junitxml=artifacts/pytest-junit.xml
  python_status=$?
  set -e
fi

node scripts/lib/summarize.mjs "$report" "$failed" "$python_status"
[ "$vitest_status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$python_status" -eq 0 ]
