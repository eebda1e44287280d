#!/usr/bin/env bash
# Idempotent setup of the Python side: .venv with pinned PyTorch, Ray and pytest (re-run is a no-op when current).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${EVOLVE_VENV:-$ROOT/.venv}"
REQ="$ROOT/resources/training/requirements.txt"
CON="$ROOT/resources/training/constraints.txt"
STAMP="$VENV/.evolve-requirements.sha256"
PYTHON="${PYTHON:-python3}"

log() { printf '[setup-python] %s\n' "$*"; }

# Ray 2.60 and torch 2.15 ship wheels for CPython 3.10-3.13 on Linux x86_64; refuse anything else early.
if ! "$PYTHON" -c 'import sys; sys.exit(0 if (3, 10) <= sys.version_info[:2] <= (3, 13) else 1)'; then
  log "need CPython 3.10-3.13, found: $("$PYTHON" --version 2>&1)"
  exit 1
fi

want="$(cat "$REQ" "$CON" | sha256sum | cut -d' ' -f1)"
if [[ -x "$VENV/bin/python" && -f "$STAMP" && "$(cat "$STAMP")" == "$want" ]] \
   && "$VENV/bin/python" -c 'import torch, ray, pytest' 2>/dev/null; then
  log "up to date: $("$VENV/bin/python" -c 'import torch, ray; print("torch", torch.__version__, "ray", ray.__version__)')"
  exit 0
fi

start=$(date +%s)
if [[ ! -x "$VENV/bin/python" ]]; then
  if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
    # Debian's own python3 needs python3-venv for ensurepip; pyenv/upstream builds have it built in.
    log "installing python3-venv (apt)"
    rm -rf "$VENV"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv
    "$PYTHON" -m venv "$VENV"
  fi
fi

export PIP_DISABLE_PIP_VERSION_CHECK=1
# PyPI's Linux torch wheel pulls its CUDA runtime (nvidia-* wheels, ~4 GB unpacked). No CPU-only index is
# reachable here, and the wheel does not import without them, so they are installed; see README.md.
"$VENV/bin/python" -m pip install -q --progress-bar off -r "$REQ" -c "$CON"
"$VENV/bin/python" -c 'import torch, ray, pytest, torch.distributed as d; assert d.is_gloo_available()'
echo "$want" > "$STAMP"
log "installed in $(( $(date +%s) - start ))s: $("$VENV/bin/python" -c 'import torch, ray; print("torch", torch.__version__, "ray", ray.__version__)'), venv $(du -sh "$VENV" | cut -f1)"
