#!/usr/bin/env bash
# Builds a release into dist/ (or $ZONEWALK_DIST):
#   zonewalk-VERSION-linux-amd64.tar.xz   `fyne package -os linux`: binary, icon, .desktop, Makefile
#   zonewalk-VERSION-windows-amd64.zip    zonewalk.exe (desktop app) and zonewalk-cli.exe (scripts)
#   SHA256SUMS                            sha256sum of the two
#   SHA256SUMS.minisig                    minisign signature of SHA256SUMS with the release key
#
#   bash .ci/release.sh VERSION
#
# ZONEWALK_RELEASE_KEY_FILE is a minisign secret key file; its password
# comes from ZONEWALK_RELEASE_KEY_PASSWORD (none for a key made with
# `minisign -G -W`). Unset, the sums are not signed and the script says so.
# macOS packages need a Mac: see docs/install.md.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?usage: release.sh VERSION (e.g. 0.2.0)}
version=${version#v}
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$ ]] || { echo "release.sh: VERSION must look like 1.2.3 or 1.2.3-rc.1, not '$version'" >&2; exit 2; }
export ZONEWALK_VERSION=$version
source .ci/appmeta.sh
export ZONEWALK_COMMIT ZONEWALK_DATE # windows-build.sh stamps the same values
dist=$(realpath -m "${ZONEWALK_DIST:-dist}")
fyne_tool=fyne.io/tools/cmd/fyne@v1.7.4 # packages fyne v2.7 apps; built with CGO_ENABLED=0
t0=$(date +%s)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$dist"
mkdir -p "$dist"
base=zonewalk-$version

echo "== windows/amd64"
bash .ci/windows-build.sh "$tmp/windows"
touch -d "$ZONEWALK_DATE" "$tmp/windows"/*.exe
(cd "$tmp/windows" && zip -q -X -9 "$dist/$base-windows-amd64.zip" zonewalk.exe zonewalk-cli.exe)

echo "== linux/amd64"
copy_tree "$tmp/src"
(cd "$tmp/src" && CGO_ENABLED=1 go_build -ldflags "$app_ldflags" -o "$tmp/linux/zonewalk" .)
stamped=$("$tmp/linux/zonewalk" version)
stamped=${stamped%%$'\n'*}
[ "$stamped" = "zonewalk $version" ] || { echo "release.sh: the binary says '$stamped', not 'zonewalk $version'" >&2; exit 1; }
CGO_ENABLED=0 GOBIN="$tmp/bin" go install "$fyne_tool"
# fyne package reads FyneApp.toml and the icon from the source folder and
# packages the binary built above (-executable: it does not build again).
(cd "$tmp/src" && "$tmp/bin/fyne" package -os linux -release -executable "$tmp/linux/zonewalk" \
  -name "$app_name" -app-version "$(sed 's/[^0-9.].*//' <<<"$version")" >/dev/null)
mv "$tmp/src/$app_name.tar.xz" "$dist/$base-linux-amd64.tar.xz"

echo "== checksums"
(cd "$dist" && sha256sum -- *.zip *.tar.xz >SHA256SUMS && cat SHA256SUMS)
if [ -n "${ZONEWALK_RELEASE_KEY_FILE:-}" ]; then
  # minisign reads the key's password from stdin when stdin is not a terminal.
  printf '%s\n' "${ZONEWALK_RELEASE_KEY_PASSWORD:-}" |
    minisign -S -s "$ZONEWALK_RELEASE_KEY_FILE" -m "$dist/SHA256SUMS" \
      -t "zonewalk $version $ZONEWALK_COMMIT" >/dev/null
  echo "signed: $dist/SHA256SUMS.minisig"
else
  echo "NOTE: ZONEWALK_RELEASE_KEY_FILE is not set: SHA256SUMS is NOT signed (no SHA256SUMS.minisig)." >&2
fi
ls -l "$dist"
echo "release $version built in $(($(date +%s) - t0)) s"
