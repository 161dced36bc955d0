#!/usr/bin/env bash
# Install Debian's chromium and a CJK font for the page tests (DECISIONS "Browser tests"); never `playwright install`.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi -e wqy -e "noto sans cjk"; then exit 0; fi
if [ "$(id -u)" != "0" ]; then echo "chromium missing and not root: cannot apt-get install" >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends chromium fonts-wqy-microhei fontconfig >/dev/null
command -v chromium >/dev/null
