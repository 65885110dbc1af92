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
go test -count=1 -timeout 30m ./...

if [ -x .ci/window-test.sh ]; then
  echo "== window test"
  bash .ci/window-test.sh
fi
