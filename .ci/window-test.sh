#!/usr/bin/env bash
# Window test: builds the real binary, starts it under Xvfb with a fresh
# HOME (so it creates and opens the demo audit, as on a first run), waits
# for its window, screenshots it, checks that the window is real and not
# blank, closes it with Ctrl+Q and checks that the process exits with 0.
#
# ZONEWALK_SHOT=FILE keeps the screenshot. Needs xvfb, xdotool, imagemagick
# (bash .ci/deps.sh test installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/xvfb.sh
fail() {
  echo "window test FAILED: $*" >&2
  if [ -s "$work/app.log" ]; then echo "--- app log" >&2; grep -v -e 'Fyne error:  Attempt to access current Fyne app' -e 'At: .*fyne/v2@.*/app.go' "$work/app.log" | tail -n 150 >&2; fi
  exit 1
}

echo "building"
go build -trimpath -o "$work/zonewalk" .

export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
mkdir -p "$HOME"

start_xvfb "$work/xvfb.log" || fail "Xvfb did not start: $(cat "$work/xvfb.log")"

"$work/zonewalk" >"$work/app.log" 2>&1 &
apid=$!
wid=$(timeout 60 xdotool search --sync --onlyvisible --name '^Zonewalk' 2>/dev/null | head -n 1) || true
[ -n "$wid" ] || fail "no Zonewalk window within 60 s"

# The title names the audit once the demo is created and open.
title=""
for _ in $(seq 1 120); do
  title=$(xdotool getwindowname "$wid" 2>/dev/null || true)
  [[ $title == *Greywater* ]] && break
  kill -0 "$apid" 2>/dev/null || fail "the app exited early"
  sleep 0.5
done
[[ $title == *Greywater* ]] || fail "window title never named the demo audit: '$title'"
[[ $title == *"NOT encrypted"* ]] || fail "title does not say the demo is not encrypted: '$title'"
[ -f "$HOME/.config/fyne/io.zonewalk.app/demo/zonewalk-workspace.json" ] ||
  [ -n "$(find "$HOME" -name zonewalk-workspace.json -print -quit)" ] || fail "no demo workspace created under the fresh HOME"
sleep 2 # let the first frames land

shot="$work/shot.png"
import -window "$wid" "$shot" 2>/dev/null || fail "screenshot failed"
read -r w h < <(identify -format '%w %h\n' "$shot")
sd=$(convert "$shot" -colorspace Gray -format '%[fx:standard_deviation]' info:)
colours=$(convert "$shot" -format '%k' info:)
echo "window '$title': ${w}x${h}, grey standard deviation $sd, $colours colours"
[ "$w" -ge 800 ] && [ "$h" -ge 500 ] || fail "window is only ${w}x${h}"
awk -v s="$sd" 'BEGIN { exit !(s > 0.05) }' || fail "screenshot is (nearly) blank: standard deviation $sd"
[ "$colours" -ge 16 ] || fail "screenshot has only $colours colours"
if [ -n "${ZONEWALK_SHOT:-}" ]; then cp "$shot" "$ZONEWALK_SHOT"; fi

# Ctrl+Q quits; the audit must be closed cleanly and the process exit 0.
xdotool windowfocus --sync "$wid" 2>/dev/null || true
t_quit=$(date +%s.%N)
xdotool key --clearmodifiers ctrl+q
for _ in $(seq 1 40); do
  kill -0 "$apid" 2>/dev/null || break
  sleep 0.5
done
if kill -0 "$apid" 2>/dev/null; then
  kill -QUIT "$apid" 2>/dev/null || true # a goroutine dump into the log shown below
  sleep 1
  fail "still running 20 s after Ctrl+Q"
fi
set +e
wait "$apid"
rc=$?
set -e
apid=""
[ "$rc" -eq 0 ] || fail "exit status $rc after Ctrl+Q (3: the app's quit watchdog found it still running after 20 s)"
echo "quit took $(echo "$(date +%s.%N) - $t_quit" | bc | cut -c1-4) s"
if grep -Eq 'panic:|fatal error:|DATA RACE' "$work/app.log"; then fail "the app log shows a crash"; fi
echo "window test passed: exit status 0"
