#!/usr/bin/env bash
# Installs what the tests need and runs every check: formatting, vet,
# staticcheck, the dependency rules, all tests, and the window test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/deps.sh test
export LANG=en_US.UTF-8

echo "== gofmt"
bad=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
[ -z "$bad" ] || { echo "gofmt would change: $bad"; exit 1; }

echo "== go vet"
go vet ./...

echo "== staticcheck"
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

echo "== dependency rules"
bash .ci/deps-rules.sh

echo "== tests"
# The release step below builds with the release tags, for Windows (go-gl's
# C code through mingw-w64) and for Linux: on a cold machine its longest
# part. Those builds start now, at low priority beside the tests, so the
# build cache is warm when the release step needs it; if one fails here it
# runs again there and fails with its message.
warm_log=$(mktemp)
(
  source .ci/appmeta.sh
  CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc nice -n 10 go build -trimpath -tags "$app_tags" -o /dev/null .
  CGO_ENABLED=1 nice -n 10 go build -trimpath -tags "$app_tags" -o /dev/null .
) >"$warm_log" 2>&1 &
warm=$!
# A failing test ends the run: the warming builds end with it.
# (Each command guarded: under set -e a failing one in the trap would set
# the script's exit status, failing a run that passed.)
trap 'pkill -P "$warm" 2>/dev/null || true; kill "$warm" 2>/dev/null || true' EXIT
t_tests=$(date +%s)
# -trimpath as the release build uses, so the cgo objects compiled for the
# tests serve the window test too.
go test -count=1 -trimpath -timeout 30m ./...
echo "tests took $(($(date +%s) - t_tests)) s"
# The window test times the app's start and quit: it runs once the
# builds started beside the tests are done, on a quiet machine.
t_warm=$(date +%s)
wait "$warm" || { echo "warming the release builds failed (the release step builds again):"; cat "$warm_log"; }
echo "waited $(($(date +%s) - t_warm)) s for the release builds started beside the tests"
rm -f "$warm_log"

if [ -x .ci/window-test.sh ]; then
  echo "== window test"
  bash .ci/window-test.sh
fi

# The Windows app (cgo cross build with mingw-w64) and a whole release with
# a throwaway signing key: a change that breaks either cannot land. Cold
# (empty build cache) this is the longest step; see docs/install.md.
echo "== windows build and release"
# Tests of Windows code paths (console attach, paths, replacing renames)
# cannot run here (no Windows; Wine cannot start Go >= 1.22): they must build.
for pkg in ./app/console ./app/paths ./app/atomicfile ./app/cli ./store; do
  CGO_ENABLED=0 GOOS=windows go vet "$pkg"
  CGO_ENABLED=0 GOOS=windows go test -c -o /dev/null "$pkg"
done
bash .ci/release-test.sh
