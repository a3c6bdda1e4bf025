#!/usr/bin/env bash
# Runs the browser test of the web demo (chat.test.mjs) in headless Chromium against a running
# Tidings suite at TIDINGS_WEB_URL (default http://127.0.0.1:7100/, the connector of
# "./tidings up"). Installs what it needs first: Debian's chromium (and CJK fonts for readable
# screenshots) with apt-get, and playwright-core from package-lock.json with npm ci. Playwright
# never downloads a browser here. Exits non-zero when anything fails.
set -euo pipefail

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$E2E_DIR"

log() { echo "web-e2e: $*"; }

install_debian_packages() {
  if [[ $(id -u) -ne 0 ]]; then
    log "error: $* missing and this user cannot run apt-get: install the Debian packages $*" >&2
    return 1
  fi
  log "installing $* with apt-get"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null; then
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null
  fi
}

if [[ ! -x /usr/bin/chromium ]]; then
  install_debian_packages chromium
fi
if ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
  # Only the screenshots need it, so a failed install is reported and not fatal.
  install_debian_packages fonts-noto-cjk || log "warning: fonts-noto-cjk is missing; Chinese text in screenshots shows as boxes" >&2
fi

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
npm ci --no-audit --no-fund --loglevel=error

log "testing the demo at ${TIDINGS_WEB_URL:-http://127.0.0.1:7100/}"
node --test --test-concurrency=1 chat.test.mjs
