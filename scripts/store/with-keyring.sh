#!/usr/bin/env bash
# Runs CMD... inside a private D-Bus session with an unlocked gnome-keyring (Secret Service), so keytar works headless.
# Needs: apt-get install -y gnome-keyring dbus-x11 libsecret-1-dev. Usage: scripts/store/with-keyring.sh npx vitest run ...
set -euo pipefail
if [ "$#" -eq 0 ]; then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi
if ! command -v dbus-run-session >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
  echo "with-keyring: dbus-run-session or gnome-keyring-daemon missing; running without a keyring" >&2
  exec "$@"
fi
# A throwaway keyring folder: never touch the user's keyrings, and never meet one made with another password.
KEYRING_HOME="$(mktemp -d)"
trap 'rm -rf "$KEYRING_HOME"' EXIT
mkdir -p "$KEYRING_HOME/keyrings"
# Make "login" the default collection, so writes do not ask (through a GUI prompt) to create one.
printf 'login' >"$KEYRING_HOME/keyrings/default"
export XDG_DATA_HOME="$KEYRING_HOME"
# The inner shell creates and unlocks the login keyring with a fixed password, then runs the command with the original argv.
dbus-run-session -- sh -c 'echo evolve-test-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; "$@"' sh "$@"
