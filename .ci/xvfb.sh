# Sourced by the scripts that run the real binary under Xvfb (window test,
# start-up benchmark, README screenshots): a work directory removed on exit
# together with the app ($apid) and Xvfb ($xpid) started in it, and
# start_xvfb.
export LANG=en_US.UTF-8 LIBGL_ALWAYS_SOFTWARE=1
unset WAYLAND_DISPLAY
work=$(mktemp -d)
xpid="" apid=""
cleanup() {
  [ -n "$apid" ] && kill "$apid" 2>/dev/null || true
  [ -n "$xpid" ] && kill "$xpid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# start_xvfb [LOG]: starts Xvfb on a display number it picks itself
# (-displayfd, so engineers and CI running several at once never collide),
# exports DISPLAY and waits until the display answers; fails after 10 s.
start_xvfb() {
  Xvfb -displayfd 3 -screen 0 1400x900x24 -nolisten tcp 3>"$work/xvfb.display" >"${1:-/dev/null}" 2>&1 &
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
