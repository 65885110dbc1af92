#!/usr/bin/env bash
# Start-up benchmark: time from launch to the first frame, and to the first
# frame that shows the audit, for the demo audit and for a synthetic audit
# of 100,000 assets. Runs the real binary under Xvfb; each figure comes
# from ZONEWALK_TRACE_START=1, which prints when the GL painter first paints
# a probe in the window (see ui/run.go), and is checked against the wall
# clock of this script ("from exec"). Target: first frame < 1 s.
#
#   RUNS=5 ASSETS=100000 bash .ci/bench-start.sh
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
big=${ASSETS:-100000}
source .ci/xvfb.sh

go build -o "$work/zonewalk" .
"$work/zonewalk" demo --workspace "$work/demo" | head -n 1
"$work/zonewalk" demo --workspace "$work/big" --assets "$big" | head -n 1

export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config"
mkdir -p "$HOME"
start_xvfb || { echo "Xvfb did not start" >&2; exit 1; }

# one WORKSPACE → prints "first audit exec" in ms
measure() {
  local ws=$1 t0 line first audit at
  rm -f "$work/trace.log"
  t0=$(date +%s%3N)
  ZONEWALK_TRACE_START=1 "$work/zonewalk" --workspace "$ws" 2>"$work/trace.log" >/dev/null &
  apid=$!
  for _ in $(seq 1 600); do
    grep -q "first frame with the audit" "$work/trace.log" 2>/dev/null && break
    sleep 0.1
  done
  line=$(grep "first frame with the audit" "$work/trace.log") || { cat "$work/trace.log" >&2; echo "no audit frame" >&2; exit 1; }
  first=$(sed -n 's/.*first frame after \([0-9]*\) ms.*/\1/p' "$work/trace.log" | head -n 1)
  audit=$(sed -n 's/.*first frame with the audit after \([0-9]*\) ms.*/\1/p' <<<"$line")
  at=$(sed -n 's/.*unix_ms \([0-9]*\).*/\1/p' <<<"$line")
  wid=$(xdotool search --name '^Zonewalk' 2>/dev/null | head -n 1 || true)
  [ -n "$wid" ] && xdotool windowfocus "$wid" 2>/dev/null || true
  xdotool key ctrl+q
  for _ in $(seq 1 100); do kill -0 "$apid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$apid" 2>/dev/null; then
    # Fyne swallows SIGTERM once its loop has stopped: ask for a goroutine
    # dump instead, and keep it, so a hang at exit can be diagnosed.
    echo "warning: still running 10 s after Ctrl+Q; goroutine dump in $PWD/bench-start-hang.log" >&2
    kill -QUIT "$apid" 2>/dev/null || true
    sleep 1
    cp "$work/trace.log" bench-start-hang.log
    kill -KILL "$apid" 2>/dev/null || true
  fi
  wait "$apid" 2>/dev/null || true
  apid=""
  echo "$first $audit $((at - t0))"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf '%-14s %5s %18s %22s %26s\n' workspace runs "first frame (ms)" "frame with audit (ms)" "audit frame from exec (ms)"
for name in demo big; do
  measure "$work/$name" >/dev/null # warm the page cache and go-graphviz's WASM cache
  : >"$work/results"
  for _ in $(seq 1 "$runs"); do measure "$work/$name" >>"$work/results"; done
  label=$name
  [ "$name" = big ] && label="$big assets"
  printf '%-14s %5s %18s %22s %26s\n' "$label" "$runs" \
    "$(cut -d' ' -f1 "$work/results" | median)" "$(cut -d' ' -f2 "$work/results" | median)" "$(cut -d' ' -f3 "$work/results" | median)"
done
echo "(medians; machine load: $(cut -d' ' -f1-3 /proc/loadavg))"
