#!/usr/bin/env bash
# Drafts survive kill -9: runs the real binary under Xvfb on a fresh demo
# audit, types a quick-capture row with xdotool (not added: no Enter),
# waits for the draft delay, kills the app with SIGKILL, checks the draft
# is on disk, starts the app again, adds the restored row with Ctrl+N
# Enter, quits, and checks with the CLI that the asset exists: the text
# came back into the widgets. Not in .ci/test.sh (it takes about a
# minute); run it by hand: bash ui/testdata/kill9-draft.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/xvfb.sh
fail() {
  echo "kill -9 draft test FAILED: $*" >&2
  [ -s "$work/app.log" ] && tail -n 40 "$work/app.log" >&2
  exit 1
}
echo "building"
go build -o "$work/zonewalk" .
go build -o "$work/draftread" ./ui/testdata/draftread

export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
mkdir -p "$HOME"
start_xvfb "$work/xvfb.log" || fail "Xvfb did not start"

# start_app: starts the binary and waits until its window shows the demo.
start_app() {
  "$work/zonewalk" >>"$work/app.log" 2>&1 &
  apid=$!
  wid=$(timeout 60 xdotool search --sync --onlyvisible --name '^Zonewalk' 2>/dev/null | head -n 1) || true
  [ -n "$wid" ] || fail "no Zonewalk window within 60 s"
  for _ in $(seq 1 120); do
    [[ $(xdotool getwindowname "$wid" 2>/dev/null || true) == *Greywater* ]] && break
    sleep 0.5
  done
  sleep 2
  xdotool windowfocus --sync "$wid" 2>/dev/null || true
}

start_app
xdotool key --clearmodifiers ctrl+n
sleep 0.5
# The row: tag Tab name Tab type Tab vendor …
xdotool type --delay 40 "KILL9-901"
xdotool key Tab; xdotool type --delay 40 "Pump kill9"
xdotool key Tab; xdotool type --delay 40 "plc"
xdotool key Tab; xdotool type --delay 40 "Wago-kill9"
sleep 2 # the draft is written ~0.7 s after the last key
kill -9 "$apid"
wait "$apid" 2>/dev/null || true
apid=""

demo=$(dirname "$(find "$HOME" -name zonewalk-workspace.json -print -quit)")
[ -d "$demo" ] || fail "no demo workspace"
drafts=$("$work/draftread" "$demo") || fail "cannot read drafts"
echo "drafts after kill -9:"; echo "$drafts"
grep -q "capture tag=KILL9-901" <<<"$drafts" || fail "the typed tag is not among the drafts"
grep -q "capture vendor=Wago-kill9" <<<"$drafts" || fail "the typed vendor is not among the drafts"

start_app
sleep 0.5 # the restore notice is in the status line: nothing to dismiss
xdotool key --clearmodifiers ctrl+n # the cursor into the restored row
sleep 0.5
xdotool key Return # adds it
sleep 1
xdotool key --clearmodifiers ctrl+q
for _ in $(seq 1 40); do kill -0 "$apid" 2>/dev/null || break; sleep 0.5; done
kill -0 "$apid" 2>/dev/null && fail "the app did not quit"
apid=""
list=$("$work/zonewalk" assets list --workspace "$demo") || fail "assets list failed"
grep "KILL9-901" <<<"$list" | grep -q "Wago-kill9" || fail "the restored row was not added: $(grep -i kill9 <<<"$list")"
left=$("$work/draftread" "$demo")
[ -z "$left" ] || fail "drafts left after the row was added: $left"
echo "kill -9 draft test passed: the typed row was kept, restored and added"
