#!/usr/bin/env bash
# System packages the test suite needs (Debian), listed one a line in scripts/apt-packages.txt.
# Installs only what is missing; needs root (CI runs as root). Safe to run again.
set -euo pipefail
list="$(dirname "$0")/apt-packages.txt"
[ -f "$list" ] || exit 0
missing=()
while read -r pkg _; do
  case "$pkg" in ""|\#*) continue ;; esac
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done < "$list"
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages (install them as root): ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
