#!/usr/bin/env bash
# Takes the README screenshots from the real binary under Xvfb: the demo
# audit with two evidence photos and a sample capture, every screen
# (Ctrl+1…9, 0), quick capture,
# the plant-floor theme, the unlock dialog, and pages of its PDF report.
#   bash docs/screenshots/take.sh      (writes docs/screenshots/*.png)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=docs/screenshots
source .ci/xvfb.sh

go build -o "$work/zonewalk" .
"$work/zonewalk" demo --workspace "$work/demo" --capture "$work/sample.pcap" >/dev/null 2>&1
# The sample capture feeds the Traffic screen and the diagram's overlay.
"$work/zonewalk" traffic import --workspace "$work/demo" "$work/sample.pcap" >/dev/null
# Two "photos" for the evidence panel: drawn, not taken.
font="$(go env GOMODCACHE)/golang.org/x/image@$(go list -m -f '{{.Version}}' golang.org/x/image)/font/gofont/ttfs/Go-Regular.ttf"
mono="${font%/*}/Go-Mono.ttf"
convert -size 960x720 gradient:'#5d6d7e-#1c2833' -fill '#d5d8dc' -draw 'rectangle 120,80 840,640' \
  -fill '#1e8449' -draw 'rectangle 180,140 420,300' -fill '#f4d03f' -draw 'rectangle 460,140 780,300' \
  -font "$font" -fill black -pointsize 40 -annotate +190+420 'CP-21 Dosing PLC cabinet' \
  -pointsize 28 -annotate +190+480 'Door unlocked, key in lock (14:10)' "$work/cabinet-CP21.jpg"
convert -size 960x720 xc:'#fdfefe' -font "$mono" -fill '#2e4053' -pointsize 30 -annotate +60+100 'Firewall FW-OT-01: rule export' \
  -pointsize 24 -annotate +60+170 '12  any -> 10.20.0.0/16  tcp/502  ALLOW' \
  -annotate +60+220 '13  any -> any           any      ALLOW  (!)' -annotate +60+270 '14  any -> any           any      DENY' \
  "$work/fw-rules.png"
go run docs/screenshots/seed.go "$work/demo" "$work/cabinet-CP21.jpg" "$work/fw-rules.png"
"$work/zonewalk" check --workspace "$work/demo" --date 2026-11-20 >/dev/null 2>&1 || true # findings to show

export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config"
mkdir -p "$HOME"
start_xvfb || { echo "Xvfb did not start" >&2; exit 1; }

start() { # args…: start the app and wait for its window (and the audit in its title)
  "$work/zonewalk" "$@" >>"$work/app.log" 2>&1 &
  apid=$!
  wid=$(timeout 60 xdotool search --sync --onlyvisible --name '^Zonewalk' | head -n 1)
  for _ in $(seq 1 60); do
    [[ $(xdotool getwindowname "$wid") == *Greywater* ]] && break
    sleep 0.5
  done
  sleep 2
}
stop() {
  xdotool key ctrl+q
  for _ in $(seq 1 100); do kill -0 "$apid" 2>/dev/null || break; sleep 0.1; done
  wait "$apid" || true
  apid=""
}
# A pointer nudge before each shot: a frame that waits for an event is
# painted before it is captured.
shot() { sleep "${2:-1.5}"; xdotool mousemove_relative 1 0 mousemove_relative -- -1 0; sleep 0.3; import -window "$wid" "$out/$1.png"; }
click() { xdotool mousemove "$1" "$2" click 1; }

start --workspace "$work/demo"
shot overview
xdotool key ctrl+2; sleep 1; click 330 290; shot zones   # Chemical Dosing Control: has the photos
click 610 95; shot evidence      # the Evidence tab
click 600 200; sleep 2             # a thumbnail opens the photo in its own window
ev=$(xdotool search --name 'Zonewalk evidence' | head -n 1)
if [ -n "$ev" ]; then import -window "$ev" "$out/evidence-photo.png"; xdotool windowclose "$ev" 2>/dev/null || true; fi
sleep 1; click 540 95               # back to the form tab
xdotool key ctrl+3; sleep 1; click 330 215; shot conduits
xdotool key ctrl+4; sleep 1; xdotool key ctrl+n; sleep 0.5
xdotool type --delay 40 'PLC-150'; xdotool key Tab; xdotool type --delay 40 'Filter PLC 5'; xdotool key Tab
xdotool type --delay 40 'PLC'; xdotool key Tab; xdotool type --delay 40 'Siemens'; xdotool key Tab
xdotool type --delay 40 'S7-1500'; xdotool key Tab; xdotool type --delay 40 'V3.0.2'; xdotool key Tab
xdotool type --delay 40 '10.10.1.50'; xdotool key Tab; xdotool type --delay 40 'Filt'; xdotool key Return
sleep 1; click 200 360; shot assets
for i in 5 6 7 8 9 0; do # the other screens, as far as they are registered
  case $i in 5) n=checklists ;; 6) n=findings ;; 7) n=traffic ;; 8) n=diagram ;; 9) n=sync ;; 0) n=report ;; esac
  xdotool key "ctrl+$i"
  shot "$n" 2
done
# Risk (Ctrl+R): SL-T, SL-C and SL-A of the SCADA zone, then the register.
xdotool key ctrl+r; sleep 1; click 280 212; shot risk-levels 2
click 296 95; sleep 1; click 280 466; shot risk-register 2
stop

# Plant-floor theme: the same audit with the preference on.
prefs="$HOME/.config/fyne/io.zonewalk.app/preferences.json"
python3 - "$prefs" <<'EOF'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
d["highContrast"] = True
json.dump(d, open(p, "w"))
EOF
start --workspace "$work/demo"
xdotool key ctrl+4; sleep 1; click 330 480; shot assets-high-contrast
xdotool key ctrl+2; sleep 1; click 330 413; shot zones-high-contrast
stop

# An encrypted audit asks for its passphrase and says so when it is wrong.
ZONEWALK_PASSPHRASE='correct horse battery staple' "$work/zonewalk" init --workspace "$work/site" --title "Northfield substation" >/dev/null
start --workspace "$work/site"
xdotool type --delay 40 'not the passphrase'; xdotool key Return
sleep 4; shot unlock-wrong-passphrase 0.5
xdotool key Escape
kill "$apid"; wait "$apid" || true; apid=""

# Pages of the demo audit's PDF report, found by their headings.
"$work/zonewalk" report --workspace "$work/demo" --out "$work/report.pdf" >/dev/null
pages=$(pdfinfo "$work/report.pdf" | awk '/^Pages:/ {print $2}')
page() { # name heading: render the first page that starts with heading
  for p in $(seq 1 "$pages"); do
    if pdftotext -f "$p" -l "$p" -layout "$work/report.pdf" - | grep -v '^\s*$' | sed -n '2p' | grep -q "^ *$2"; then
      pdftoppm -png -r 80 -f "$p" -l "$p" -singlefile "$work/report.pdf" "$out/report-$1"
      return
    fi
  done
  echo "no report page starts with $2" >&2; exit 1
}
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$work/report.pdf" "$out/report-cover"
page summary 'Executive summary'
page model 'Zone and conduit model'
page zone 'Zone: Chemical Dosing Control'
page findings 'Findings$'
page inventory 'Appendix A'

for f in "$out"/*.png; do
  convert "$f" -strip -colors 256 PNG8:"$f"
done
ls -l "$out"
