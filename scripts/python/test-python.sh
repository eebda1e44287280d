#!/usr/bin/env bash
# Runs the Python test suites (trainer + real Ray cluster) in .venv; non-zero on any failure or on "no tests".
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PY="${EVOLVE_PYTHON:-$ROOT/.venv/bin/python}"
# EVOLVE_PY_SUITES="training" runs the trainer tests only (e.g. where Ray cannot start).
SUITES="${EVOLVE_PY_SUITES:-training cluster}"

if [[ ! -x "$PY" ]]; then
  echo "no Python venv at $ROOT/.venv: run scripts/python/setup-python.sh first" >&2
  exit 1
fi

paths=()
for suite in $SUITES; do
  paths+=("$ROOT/test/python/$suite")
done

cleanup() {
  # The cluster fixture stops its nodes itself; this covers a pytest that was killed mid-run.
  EVOLVE_RAY_PORT="${EVOLVE_TEST_RAY_PORT:-7379}" "$ROOT/scripts/python/ray-cluster.sh" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

export RAY_DEDUP_LOGS=0 RAY_USAGE_STATS_ENABLED=0 OMP_NUM_THREADS=1
cd "$ROOT" || exit 1
start=$(date +%s)
# -s so the tests' one-line figures (loss before/after, resume step, failure latency) reach the log.
"$PY" -m pytest "${paths[@]}" -q -s -rs -p no:cacheprovider --durations=8 "$@"
rc=$?
echo "[test-python] pytest exit $rc after $(( $(date +%s) - start ))s"
if [[ $rc -eq 5 ]]; then
  echo "[test-python] pytest collected no tests: treated as a failure" >&2
  exit 1
fi
exit $rc
