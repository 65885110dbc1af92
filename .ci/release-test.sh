#!/usr/bin/env bash
# Release test: builds a release with a throwaway minisign key (as
# .ci/release.sh does for real) and checks it the way docs/install.md tells
# users to: stock minisign accepts SHA256SUMS.minisig, sha256sum -c passes,
# a changed SHA256SUMS is refused. Then checks the artefacts: both .exe are
# PE32+ x86-64 with the right subsystem, icon, version and manifest; the
# Linux tarball holds the binary, .desktop file and icon, and the binary
# says the release's version. This is also CI's Windows build.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/appmeta.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "release test FAILED: $*" >&2; exit 1; }
version=0.0.0-ci.1

minisign -G -W -p "$work/release.pub" -s "$work/release.key" >/dev/null
ZONEWALK_DIST="$work/dist" ZONEWALK_RELEASE_KEY_FILE="$work/release.key" bash .ci/release.sh "$version"

cd "$work/dist"
want="SHA256SUMS SHA256SUMS.minisig zonewalk-$version-linux-amd64.tar.xz zonewalk-$version-windows-amd64.zip"
[ "$(ls | sort | tr '\n' ' ')" = "$want " ] || fail "dist/ holds: $(ls | tr '\n' ' '); want: $want"
minisign -Vm SHA256SUMS -p "$work/release.pub" || fail "minisign does not accept SHA256SUMS.minisig"
sha256sum -c SHA256SUMS || fail "sha256sum -c SHA256SUMS"
grep -q "zonewalk $version" SHA256SUMS.minisig || fail "the trusted comment does not name the release"
# Flip the first hex digit of the first checksum (0 <-> 1, anything else -> 0)
# so the copy always differs, whatever the hash.
first=$(head -c1 SHA256SUMS)
case "$first" in 0) flip=1 ;; *) flip=0 ;; esac
cp SHA256SUMS "$work/sums" && sed -i "1s/^./$flip/" "$work/sums"
cmp -s SHA256SUMS "$work/sums" && fail "the tampered copy of SHA256SUMS is unchanged"
cp SHA256SUMS.minisig "$work/sums.minisig"
if minisign -Vm "$work/sums" -x "$work/sums.minisig" -p "$work/release.pub" >/dev/null 2>&1; then fail "minisign accepted a changed SHA256SUMS"; fi

mkdir "$work/win" "$work/linux"
unzip -q "zonewalk-$version-windows-amd64.zip" -d "$work/win"
check_exe "$work/win/zonewalk.exe" 2 || fail "zonewalk.exe"
check_exe "$work/win/zonewalk-cli.exe" 3 || fail "zonewalk-cli.exe"
iconv -f UTF-16LE -t UTF-8 -c <"$work/win/zonewalk.exe" | grep -a "$version" >/dev/null || fail "zonewalk.exe: version resource lacks $version"
grep -aq "$version" "$work/win/zonewalk-cli.exe" || fail "zonewalk-cli.exe: no stamped version $version"

tar -xJf "zonewalk-$version-linux-amd64.tar.xz" -C "$work/linux"
# fyne package puts it all under zonewalk/ (or ./, with older tar).
root=$(dirname "$(find "$work/linux" -name Makefile -print -quit)")
for f in usr/local/bin/zonewalk usr/local/share/applications/io.zonewalk.app.desktop usr/local/share/pixmaps/io.zonewalk.app.png Makefile; do
  [ -e "$root/$f" ] || fail "linux tarball lacks $f: $(tar -tJf "zonewalk-$version-linux-amd64.tar.xz" | tr '\n' ' ')"
done
grep -q '^Exec=zonewalk' "$root/usr/local/share/applications/io.zonewalk.app.desktop" || fail ".desktop file has no Exec=zonewalk"
"$root/usr/local/bin/zonewalk" version | tee "$work/version.txt"
head -n 1 "$work/version.txt" | grep -qx "zonewalk $version" || fail "linux binary does not say zonewalk $version"
echo "sizes: $(stat -c '%n %s' "$work/win/zonewalk.exe" "$work/win/zonewalk-cli.exe" "$root/usr/local/bin/zonewalk" | sed "s|$work/||g" | tr '\n' ';')"
echo "release test passed"
