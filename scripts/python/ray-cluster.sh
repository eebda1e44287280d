#!/usr/bin/env bash
# Start/stop a local Ray test cluster (head + workers on 127.0.0.x): ray-cluster.sh start|add-worker|kill-worker|status|env|stop
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PY="${EVOLVE_PYTHON:-$ROOT/.venv/bin/python}"
if [[ ! -x "$PY" ]]; then
  echo "no Python venv at $ROOT/.venv: run scripts/python/setup-python.sh first" >&2
  exit 1
fi
exec "$PY" "$ROOT/scripts/python/ray_cluster.py" "$@"
