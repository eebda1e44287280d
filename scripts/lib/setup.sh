# Shared set-up steps for scripts/test-all.sh and scripts/start.sh: each is idempotent and fast when
# its work is already done, so both commands work on a fresh machine and on a warm one.

step() { printf '\n==> %s\n' "$*"; }

# Debian packages the app and its tests use: Chromium (E2E), D-Bus + gnome-keyring + libsecret (keychain),
# Prometheus/Alertmanager/node-exporter (cluster ops), python3-venv (training side and the SQLCipher 4
# compatibility client), build-essential (native modules are built from source against Node's headers).
APT_PACKAGES=(chromium fonts-dejavu-core dbus dbus-x11 gnome-keyring libsecret-1-dev libsecret-tools
  prometheus prometheus-alertmanager prometheus-node-exporter python3-venv build-essential python3)

setup_system_packages() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "Missing system packages: ${missing[*]} — install them (e.g. sudo apt-get install ${missing[*]}); continuing."
    return 0
  fi
  step "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# npm ci when node_modules is missing or older than the lockfile. Electron's binary cannot be fetched
# offline (ELECTRON_SKIP_BINARY_DOWNLOAD); native modules build against Node's own headers.
setup_node_modules() {
  if [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then return 0; fi
  step "npm ci"
  export ELECTRON_SKIP_BINARY_DOWNLOAD=1
  # better-sqlite3-multiple-ciphers and keytar: build from source (no prebuilt download from outside npm).
  export npm_config_build_from_source=true
  [ -d /usr/include/node ] && export npm_config_nodedir=/usr
  npm ci --no-audit --no-fund
}

# The Python side (Ray, PyTorch) and the default model, when their setup scripts are part of this tree.
setup_optional_components() {
  if [ -f scripts/python/setup-python.sh ]; then step "python environment"; bash scripts/python/setup-python.sh; fi
  if [ -f scripts/models/setup-default-model.sh ]; then step "default model"; bash scripts/models/setup-default-model.sh; fi
  if [ -f scripts/store/setup-sqlcipher-check.sh ]; then step "SQLCipher 4 reference client"; bash scripts/store/setup-sqlcipher-check.sh; fi
}

# Runs a command with a real, unlocked Secret Service (gnome-keyring on a private D-Bus session and a
# throwaway keyring folder), so keychain code is tested against the real thing.
with_keyring() { bash scripts/store/with-keyring.sh "$@"; }
