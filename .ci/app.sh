#!/usr/bin/env bash
# Installs what the desktop app needs, builds it and opens it. With no
# workspace argument it opens the demo audit (created on first run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/deps.sh
go build -o zonewalk .
exec ./zonewalk "$@"
