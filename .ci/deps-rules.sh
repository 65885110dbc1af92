#!/usr/bin/env bash
# Enforces the dependency rules of DEVELOPERS.md: only store imports Badger;
# ui and main never import store (they call app);
# only ui and main import Fyne; only main imports fyne/v2/app; everything
# but main builds without cgo, and everything below the GUI builds for
# Windows and macOS.
set -euo pipefail
mod=$(go list -m)
fail=0
while read -r pkg imports; do
  case "$imports" in *github.com/dgraph-io/badger*)
    [[ $pkg == $mod/store ]] || { echo "$pkg imports Badger (only store may)"; fail=1; } ;;
  esac
  case "$imports" in *fyne.io/fyne/v2/app*)
    [[ $pkg == "$mod" ]] || { echo "$pkg imports fyne/v2/app (only main may)"; fail=1; } ;;
  esac
  case "$imports" in *fyne.io/fyne*)
    [[ $pkg == "$mod" || $pkg == $mod/ui || $pkg == $mod/ui/* ]] || { echo "$pkg imports Fyne (only ui and main may)"; fail=1; } ;;
  esac
  # The GUI goes through app's use cases, never to the store itself.
  case " $imports " in *" $mod/store "*)
    [[ $pkg == "$mod" || $pkg == $mod/ui || $pkg == $mod/ui/* ]] && { echo "$pkg imports store (the GUI calls app)"; fail=1; } ;;
  esac
done < <(go list -f '{{.ImportPath}} {{join .Imports " "}}' ./...)
CGO_ENABLED=0 go build $(go list ./... | grep -vx "$mod") || { echo "a package other than main needs cgo"; fail=1; }
# Auditors' laptops run Windows and macOS too: what is below the GUI must
# build there without cgo (the GUI needs each OS's C toolchain).
for os in windows darwin; do
  CGO_ENABLED=0 GOOS=$os go build $(go list ./... | grep -vx "$mod" | grep -v "^$mod/ui") ||
    { echo "a package below the GUI does not build for $os"; fail=1; }
done
exit $fail
