#!/usr/bin/env bash
# CI: README line 1 (`bash scripts/start.sh`) on a fresh machine, twice, each in a clean clone of this repository with a
# fresh HOME and data dir, waiting for the URL it prints and loading the page in Chromium:
#   root  — installs what the app needs, keytar builds, an unlocked Secret Service (gnome-keyring on a private D-Bus)
#           holds the store key;
#   user  — an unprivileged account (no sudo) on a machine path without libsecret: PKG_CONFIG_LIBDIR points at an
#           empty folder, so keytar's build fails exactly as on a machine without libsecret-1-dev ("Package
#           libsecret-1 was not found in the pkg-config search path"), npm leaves the optional package out, and
#           there is no D-Bus session; the app must start, say why the OS keychain is unavailable, and unlock
#           with a passphrase.
# Then checks the data files the app wrote are 0600. Caches are reused: npm's (copied for the user, who cannot
# write root's) and the model cache (EVOLVE_MODEL_CACHE). Prints each case's duration. Needs root.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
if [ "$(id -u)" -ne 0 ]; then
  echo "start-smoke: run as root (it creates an unprivileged user)" >&2
  exit 2
fi
SMOKE_USER="${EVOLVE_SMOKE_USER:-evolve-smoke}"
CASES="${EVOLVE_SMOKE_CASES:-root user}"
# npm ci builds the native modules from source: minutes on an idle machine, far more on a loaded one.
URL_TIMEOUT_S="${EVOLVE_SMOKE_TIMEOUT_S:-3600}"
NPM_CACHE="${npm_config_cache:-$HOME/.npm}"
MODEL_CACHE="${EVOLVE_MODEL_CACHE:-$HOME/.cache/evolve-studio/models}"
BASE_PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

WORK="$(mktemp -d /tmp/evolve-start-smoke.XXXXXX)"
chmod 755 "$WORK"
GROUPS_STARTED=()
cleanup() {
  for g in "${GROUPS_STARTED[@]}"; do kill -TERM -- "-$g" 2>/dev/null || true; done
  sleep 2
  for g in "${GROUPS_STARTED[@]}"; do kill -KILL -- "-$g" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

# wait_for_url LOG PID: prints the launch URL once the log has it; fails when the process ends first or time runs out.
wait_for_url() {
  local log=$1 pid=$2 deadline=$((SECONDS + URL_TIMEOUT_S)) url
  while [ $SECONDS -lt $deadline ]; do
    url="$(grep -oE 'http://127\.0\.0\.1:[0-9]+/\?token=[A-Za-z0-9_-]+' "$log" | head -1 || true)"
    if [ -n "$url" ]; then
      echo "$url"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 2
  done
  return 1
}

# run_case NAME: clone, start, wait for the URL, load the page, check file modes, stop.
run_case() {
  local name=$1 dir="$WORK/$1" started=$SECONDS mode owner=root
  mkdir -p "$dir/home" "$dir/data"
  git clone -q "$ROOT" "$dir/repo"
  local env_args=(PATH="$BASE_PATH" HOME="$dir/home" LANG=C.UTF-8 EVOLVE_DATA_DIR="$dir/data")
  if [ "$name" = root ]; then
    mode=keychain
    env_args+=(npm_config_cache="$NPM_CACHE" EVOLVE_MODEL_CACHE="$MODEL_CACHE")
  else
    mode=passphrase
    owner="$SMOKE_USER"
    id "$SMOKE_USER" >/dev/null 2>&1 || useradd --system --user-group --no-create-home --shell /usr/sbin/nologin "$SMOKE_USER"
    mkdir -p "$dir/npm-cache" "$dir/models"
    [ -d "$NPM_CACHE/_cacache" ] && cp -a "$NPM_CACHE/_cacache" "$dir/npm-cache/"
    [ -d "$MODEL_CACHE/gemma-3-270m" ] && cp -a "$MODEL_CACHE/gemma-3-270m" "$dir/models/"
    mkdir -p "$dir/pkgconfig-empty"
    env_args+=(npm_config_cache="$dir/npm-cache" EVOLVE_MODEL_CACHE="$dir/models" PKG_CONFIG_LIBDIR="$dir/pkgconfig-empty")
    chown -R "$SMOKE_USER:" "$dir"
  fi
  local log="$dir/start.log"
  # Own session and process group, so the whole app (and its workers) can be stopped at the end.
  local cmd
  if [ "$name" = root ]; then
    # The keyring wrapper runs inside the clean environment, so the D-Bus address it sets reaches the app.
    cmd=(env -i "${env_args[@]}" bash "$ROOT/scripts/store/with-keyring.sh" bash scripts/start.sh --port 0)
  else
    cmd=(runuser -u "$SMOKE_USER" -- env -i "${env_args[@]}" bash scripts/start.sh --port 0)
  fi
  (cd "$dir/repo" && exec setsid "${cmd[@]}") >"$log" 2>&1 &
  local pid=$!
  GROUPS_STARTED+=("$pid")
  local url
  if ! url="$(wait_for_url "$log" "$pid")"; then
    echo "start-smoke[$name]: no URL within ${URL_TIMEOUT_S} s (or start.sh ended); its output:"
    tail -60 "$log"
    return 1
  fi
  local to_url=$((SECONDS - started))
  if ! (cd "$ROOT" && node scripts/ci/load-page.mjs "$url" "$mode"); then
    echo "start-smoke[$name]: the page did not load as expected; start.sh output:"
    tail -40 "$log"
    return 1
  fi
  if [ "$name" = user ] && [ -d "$dir/repo/node_modules/keytar" ]; then
    echo "start-smoke[$name]: keytar was built although libsecret was hidden: the case did not test the fallback"
    return 1
  fi
  local loose
  loose="$(find "$dir/data" -type f ! -perm 600 -printf '%m %P\n')"
  if [ -n "$loose" ]; then
    echo "start-smoke[$name]: data files readable by others:"
    echo "$loose"
    return 1
  fi
  kill -TERM -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  echo "start-smoke[$name]: ok as $owner — URL after ${to_url} s, page checked after $((SECONDS - started)) s"
}

# The cases run side by side: each is mostly a single-threaded native build (npm ci from source), so on 2 cores two
# cases take about as long as one (a clean-clone CI run spent 309 s + 368 s on them one after the other). Each case
# runs in its own subshell that stops its own app on every path, and its output is printed when it ends.
run_case_bg() {
  (
    GROUPS_STARTED=()
    trap 'for g in "${GROUPS_STARTED[@]}"; do kill -TERM -- "-$g" 2>/dev/null || true; done' EXIT
    run_case "$1"
  ) >"$WORK/$1.out" 2>&1
}
declare -A PIDS=()
for c in $CASES; do
  run_case_bg "$c" &
  PIDS[$c]=$!
done
status=0
for c in $CASES; do
  rc=0
  wait "${PIDS[$c]}" || rc=$?
  echo "==> start-smoke: $c"
  cat "$WORK/$c.out"
  [ "$rc" -eq 0 ] || status=1
done
exit $status
