#!/usr/bin/env bash
# The multi-node tests put Debian's nginx in front of the app servers: install it when missing (as root).
# The package's own service is not started (policy-rc.d for the install): each test runs its own nginx.
set -euo pipefail
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then echo "nginx missing and not root: cannot apt-get install it" >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
made_policy=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=1
fi
trap '[ $made_policy = 1 ] && rm -f /usr/sbin/policy-rc.d' EXIT
apt-get install -y -q --no-install-recommends nginx >/dev/null 2>&1 \
  || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends nginx >/dev/null; }
[ -x /usr/sbin/nginx ]
