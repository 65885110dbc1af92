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
# -trimpath as the release build uses, so the cgo objects compiled for the
# tests (the cold run's longest step) serve the window test and release too.
go test -count=1 -trimpath -timeout 30m ./...

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
