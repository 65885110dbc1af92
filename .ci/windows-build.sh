#!/usr/bin/env bash
# Builds the Windows app from Linux and checks what it built:
#   OUT/zonewalk.exe      the desktop app, GUI subsystem (-H windowsgui): no
#                         console window from Explorer; with arguments it
#                         attaches to the console it was typed in (app/console)
#   OUT/zonewalk-cli.exe  the same program, console subsystem: for scripts,
#                         which need cmd/PowerShell to wait and see the exit code
# Both carry the icon, a manifest (long paths, per-monitor DPI, common
# controls 6) and a version resource from FyneApp.toml, made with go-winres.
#
#   bash .ci/windows-build.sh OUT        (ZONEWALK_VERSION etc.: see appmeta.sh)
#
# cgo with Debian's mingw-w64 cross compiler (gcc-mingw-w64-x86-64; deps.sh
# installs it). windows/arm64 is not built: Debian has no aarch64 mingw-w64
# toolchain (see docs/install.md).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:?usage: windows-build.sh OUT_DIR}")
cc=x86_64-w64-mingw32-gcc
command -v "$cc" >/dev/null || { echo "$cc missing: bash .ci/deps.sh test installs gcc-mingw-w64-x86-64" >&2; exit 1; }
source .ci/appmeta.sh
winres=github.com/tc-hib/go-winres@v0.3.3

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
copy_tree "$tmp/src"

# Windows wants a numeric a.b.c.d version: the release's a.b.c and the
# build number; the text fields keep the version as given (0.2.0-rc.1).
IFS=. read -r v1 v2 v3 _ <<<"$(sed 's/[^0-9.].*//' <<<"$app_version")"
numeric="${v1:-0}.${v2:-0}.${v3:-0}.${app_build:-0}"
mkdir -p "$tmp/src/winres"
cp "$app_icon" "$tmp/src/winres/icon.png"
cat >"$tmp/src/winres/winres.json" <<JSON
{
  "RT_GROUP_ICON": {"APP": {"0000": "icon.png"}},
  "RT_MANIFEST": {"#1": {"0409": {
    "identity": {"name": "$app_id", "version": "$numeric"},
    "description": "$app_name",
    "minimum-os": "win10",
    "execution-level": "as invoker",
    "dpi-awareness": "per monitor v2",
    "long-path-aware": true,
    "use-common-controls-v6": true
  }}},
  "RT_VERSION": {"#1": {"0000": {
    "fixed": {"file_version": "$numeric", "product_version": "$numeric"},
    "info": {"0409": {
      "CompanyName": "$app_name",
      "FileDescription": "$app_name — IEC 62443 site audit workbench",
      "FileVersion": "$app_version",
      "InternalName": "zonewalk",
      "OriginalFilename": "zonewalk.exe",
      "ProductName": "$app_name",
      "ProductVersion": "$app_version",
      "Comments": "$app_id, commit $ZONEWALK_COMMIT"
    }}
  }}}
}
JSON
# The .syso lands in the copy only; its _windows_amd64 suffix keeps it out
# of any other build.
(cd "$tmp/src" && go run "$winres" make --in winres/winres.json --arch amd64 --out rsrc)

mkdir -p "$out"
export CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=$cc
# The tags `fyne package --release` sets: Fyne's release mode, and the
# fyne.Do threading FyneApp.toml migrates to (main.go sets the metadata).
t0=$(date +%s)
(cd "$tmp/src" && go_build -ldflags "$app_ldflags -H windowsgui" -o "$out/zonewalk.exe" .)
t1=$(date +%s)
# Same packages, other subsystem: only the link runs again.
(cd "$tmp/src" && go_build -ldflags "$app_ldflags" -o "$out/zonewalk-cli.exe" .)
t2=$(date +%s)
echo "windows build: zonewalk.exe $((t1 - t0)) s, zonewalk-cli.exe $((t2 - t1)) s"

check_exe "$out/zonewalk.exe" 2
check_exe "$out/zonewalk-cli.exe" 3
