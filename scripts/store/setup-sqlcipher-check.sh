#!/usr/bin/env bash
# Installs a standard SQLCipher 4 client (Python sqlcipher3-binary, SQLCipher 4.12 built in) in its own venv for the
# compatibility test. Debian bookworm's `sqlcipher` package is 3.4.1 and cannot read SQLCipher 4 files.
set -euo pipefail
VENV="${EVOLVE_SQLCIPHER_VENV:-$HOME/.cache/evolve/sqlcipher-venv}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check sqlcipher3-binary==0.6.0
"$VENV/bin/python" -c 'import sqlcipher3; c = sqlcipher3.connect(":memory:"); print("sqlcipher", c.execute("PRAGMA cipher_version").fetchone()[0])'
