#!/usr/bin/env bash
# Installs the Debian packages Zonewalk needs to build, run and test, when
# any is missing. Sourced by app.sh and test.sh; safe to run again.
set -euo pipefail
pkgs=(gcc libc6-dev pkg-config libgl1-mesa-dev libx11-dev libgl1-mesa-dri libxcursor-dev
  libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev)
if [ "${1:-}" = test ]; then
  pkgs+=(xvfb xauth xdotool imagemagick qpdf poppler-utils age minisign graphviz jq util-linux ieee-data)
  pkgs+=(gcc-mingw-w64-x86-64 zip unzip file xz-utils) # Windows cross build, release test
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
