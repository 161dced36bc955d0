#!/usr/bin/env bash
# Install the pinned axe-core accessibility engine for tests/browser/test_accessibility.py, from the npm
# registry with npm (which checks the package's integrity), into tests/browser/.axe/ (git-ignored).
# Installs Debian's nodejs and npm first when they are missing and we are root. Prints the path of axe.min.js.
set -euo pipefail
AXE_VERSION="4.14.1"
here="$(cd "$(dirname "$0")" && pwd)"
dest="$here/.axe"
js="$dest/node_modules/axe-core/axe.min.js"
pkg="$dest/node_modules/axe-core/package.json"

installed_version() {
  [ -f "$pkg" ] && [ -f "$js" ] || return 1
  sed -n 's/^  "version": "\(.*\)",$/\1/p' "$pkg" | head -1
}

if [ "$(installed_version || true)" = "$AXE_VERSION" ]; then echo "$js"; exit 0; fi

if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" != "0" ]; then echo "npm missing and not root: cannot apt-get install nodejs npm" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

rm -rf "$dest"
mkdir -p "$dest"
# A private package.json so npm installs here and nowhere else; no scripts run, nothing else is fetched.
printf '{"name":"registry-browser-axe","private":true}\n' >"$dest/package.json"
npm install --prefix "$dest" --no-audit --no-fund --ignore-scripts --save-exact --loglevel=error \
  "axe-core@$AXE_VERSION" >&2
got="$(installed_version || true)"
if [ "$got" != "$AXE_VERSION" ]; then
  echo "axe-core $AXE_VERSION was not installed (found '${got:-nothing}') under $dest" >&2
  exit 1
fi
echo "$js"
