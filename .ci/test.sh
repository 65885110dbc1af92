#!/usr/bin/env bash
# Installs what the tests need and runs every check: formatting, vet,
# staticcheck, the dependency rules, all tests, and the window test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/deps.sh test
export LANG=en_US.UTF-8

# One set of build flags for every step (vet, staticcheck, tests, the
# window test, the release builds): they then share the build cache, and a
# cold machine compiles each package once, not once per step.
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-trimpath"
t_start=$(date +%s)
phase() { echo "== $1 (at $(($(date +%s) - t_start)) s)"; }

phase gofmt
bad=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
[ -z "$bad" ] || { echo "gofmt would change: $bad"; exit 1; }

# The release step at the end builds with the release tags, for Windows
# (go-gl's C code through mingw-w64) and for Linux: on a cold machine its
# longest part. Those builds start now, at low priority beside the checks
# and tests, so the build cache is warm when the release step needs it; if
# one fails here it runs again there and fails with its message.
warm_log=$(mktemp)
(
  source .ci/appmeta.sh
  CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc nice -n 10 go build -tags "$app_tags" -o /dev/null .
  CGO_ENABLED=1 nice -n 10 go build -tags "$app_tags" -o /dev/null .
) >"$warm_log" 2>&1 &
warm=$!
# A failing step ends the run: the warming builds end with it.
# (Each command guarded: under set -e a failing one in the trap would set
# the script's exit status, failing a run that passed.)
trap 'pkill -P "$warm" 2>/dev/null || true; kill "$warm" 2>/dev/null || true' EXIT

phase "go vet"
go vet ./...

phase staticcheck
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

phase "dependency rules"
bash .ci/deps-rules.sh

phase tests
t_tests=$(date +%s)
go test -count=1 -timeout 30m ./...
echo "tests took $(($(date +%s) - t_tests)) s"
# The window test times the app's start and quit: it runs once the
# builds started beside the tests are done, on a quiet machine.
t_warm=$(date +%s)
wait "$warm" || { echo "warming the release builds failed (the release step builds again):"; cat "$warm_log"; }
echo "waited $(($(date +%s) - t_warm)) s for the release builds started beside the tests"
rm -f "$warm_log"

if [ -x .ci/window-test.sh ]; then
  phase "window test"
  bash .ci/window-test.sh
fi

# The Windows app (cgo cross build with mingw-w64) and a whole release with
# a throwaway signing key: a change that breaks either cannot land. Cold
# (empty build cache) this is the longest step; see docs/install.md.
phase "windows build and release"
# Tests of Windows code paths (console attach, paths, replacing renames)
# cannot run here (no Windows; Wine cannot start Go >= 1.22): they must build.
for pkg in ./app/console ./app/paths ./app/atomicfile ./app/cli ./app/bundle ./store; do
  CGO_ENABLED=0 GOOS=windows go vet "$pkg"
  CGO_ENABLED=0 GOOS=windows go test -c -o /dev/null "$pkg"
done
bash .ci/release-test.sh
echo "CI took $(($(date +%s) - t_start)) s after installing packages"
