#!/usr/bin/env bash
# Keyboard walk (a benchmark, not part of .ci/test.sh): builds the real
# binary, starts it on a fresh demo audit under Xvfb at 1366x768, captures
# one asset (tag, name, type, vendor, model, firmware, IP, zone) with
# xdotool by keyboard only, following ui/testdata/keyboard-walk.txt (the
# walk TestKeyboardWalk replays, so CI keeps the count from growing), quits
# with Ctrl+Q and checks the asset with the CLI. Prints the control keys
# (Tab, Enter, arrows, shortcuts), the typed characters and the wall time.
#
# ZONEWALK_WALK_SHOT=FILE keeps a screenshot taken during the walk (default
# /tmp/walk.png). Needs xvfb, xdotool, imagemagick and jq (bash .ci/deps.sh
# test installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/xvfb.sh
shot=${ZONEWALK_WALK_SHOT:-/tmp/walk.png}
walk=ui/testdata/keyboard-walk.txt
fail() {
  echo "keyboard walk FAILED: $*" >&2
  if [ -s "$work/app.log" ]; then echo "--- app log" >&2; tail -n 60 "$work/app.log" >&2; fi
  exit 1
}

# Like start_xvfb, at the small laptop screen the walk is measured on.
start_xvfb_at() {
  Xvfb -displayfd 3 -screen 0 "$1" -nolisten tcp 3>"$work/xvfb.display" >"$work/xvfb.log" 2>&1 &
  xpid=$!
  for _ in $(seq 1 50); do
    if [ -s "$work/xvfb.display" ]; then
      export DISPLAY=":$(head -n 1 "$work/xvfb.display")"
      xdotool getdisplaygeometry >/dev/null 2>&1 && return 0
    fi
    sleep 0.2
  done
  return 1
}

echo "building"
go build -o "$work/zonewalk" .

export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
mkdir -p "$HOME"
start_xvfb_at 1366x768x24 || fail "Xvfb did not start: $(cat "$work/xvfb.log")"

"$work/zonewalk" >"$work/app.log" 2>&1 &
apid=$!
wid=$(timeout 60 xdotool search --sync --onlyvisible --name '^Zonewalk' 2>/dev/null | head -n 1) || true
[ -n "$wid" ] || fail "no Zonewalk window within 60 s"
title=""
for _ in $(seq 1 120); do
  title=$(xdotool getwindowname "$wid" 2>/dev/null || true)
  [[ $title == *Greywater* ]] && break
  kill -0 "$apid" 2>/dev/null || fail "the app exited early"
  sleep 0.5
done
[[ $title == *Greywater* ]] || fail "the demo audit never opened: '$title'"
# There is no window manager: fill the screen as a maximised window would.
xdotool windowmove "$wid" 0 0 windowsize "$wid" 1366 768 2>/dev/null || true
xdotool windowfocus --sync "$wid" 2>/dev/null || true
sleep 2 # let the first frames land

keys=0 typed=0 lines=0
start=$(date +%s.%N)
while IFS= read -r line; do
  case $line in
  "key "*)
    xdotool key --clearmodifiers "${line#key }"
    keys=$((keys + 1))
    ;;
  "type "*)
    text=${line#type }
    xdotool type --clearmodifiers --delay 25 -- "$text"
    typed=$((typed + ${#text}))
    ;;
  *) continue ;;
  esac
  lines=$((lines + 1))
  sleep 0.15 # a key's work (a filter, a saved record) lands before the next
  # The screenshot shows the row filled in, just before the zone.
  if [[ $line == "type 10."* ]]; then import -window root "$shot" 2>/dev/null || echo "screenshot failed" >&2; fi
done <"$walk"
end=$(date +%s.%N)
[ "$lines" -gt 0 ] || fail "no steps in $walk"
sleep 1
import -window root "${shot%.png}-added.png" 2>/dev/null || true # the new asset selected

xdotool key --clearmodifiers ctrl+q
for _ in $(seq 1 40); do
  kill -0 "$apid" 2>/dev/null || break
  sleep 0.5
done
kill -0 "$apid" 2>/dev/null && fail "still running 20 s after Ctrl+Q"
set +e
wait "$apid"
rc=$?
set -e
apid=""
[ "$rc" -eq 0 ] || fail "exit status $rc after Ctrl+Q"

ws=$(dirname "$(find "$HOME" -name zonewalk-workspace.json -print -quit)")
[ -d "$ws" ] || fail "no demo workspace under the fresh HOME"
zone=$("$work/zonewalk" zones list --workspace "$ws" --format json | jq -r '.[] | select(.name == "Filtration Control") | .id')
"$work/zonewalk" assets list --workspace "$ws" --format json >"$work/assets.json"
jq -e --arg zone "$zone" '[.[] | select(.tag == "KW-PLC-01" and .name == "Backwash filter PLC" and .type == "plc"
    and .vendor == "Siemens" and .model == "S7-1500" and .firmware == "V2.9.4" and .ips == ["10.20.30.40"]
    and .zone == $zone and .purdue == "1")] | length == 1' "$work/assets.json" >/dev/null ||
  fail "asset not stored as typed: $(jq -c '.[] | select(.tag == "KW-PLC-01")' "$work/assets.json")"

secs=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }')
echo "keyboard walk: asset KW-PLC-01 stored with tag, name, type, vendor, model, firmware, IP and zone"
echo "control keys: $keys"
echo "typed chars:  $typed"
echo "wall time:    ${secs} s (xdotool typing at 25 ms a character, 150 ms settle a step)"
echo "screenshot:   $shot"
