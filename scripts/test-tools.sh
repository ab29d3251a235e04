#!/usr/bin/env bash
# What `npm test` needs besides npm packages: PostgreSQL server binaries (the tests start
# their own server on 127.0.0.1), Chromium (the digest card screenshot, the playground), a colour
# emoji font (so screenshots show emoji, not empty boxes) and poppler-utils (pdftoppm and
# pdftotext read the State of the Customer PDF back). Installed from
# Debian's packages when missing and we are root; otherwise we say what to install.
set -euo pipefail

missing=()
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
[ -e /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || missing+=(fonts-noto-color-emoji)
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "npm test needs ${missing[*]}: as root run apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}" </dev/null
