#!/usr/bin/env bash
# Figures for observed traffic (issue 17), printed, not judged by a timer:
#  - `zonewalk traffic import` of a synthetic capture (default 1 GiB, 5,000
#    hosts) against `tshark -r FILE -q -z conv,tcp` on the same file: wall
#    time and peak RSS of each, and their ratio (target ≤ 0.5, ≤ 200 MB);
#  - `zonewalk traffic import` of a 1,000,000-line Zeek conn.log (target ≤ 3 s).
# Usage: .ci/bench-traffic.sh [BYTES [HOSTS]]   (needs tshark: apt-get install tshark)
set -euo pipefail
cd "$(dirname "$0")/.."
bytes=${1:-1073741824}
hosts=${2:-5000}
command -v tshark >/dev/null || { echo "bench-traffic: tshark is not installed (apt-get install tshark)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export ZONEWALK_AUTHOR=bench

echo "building zonewalk and the generator"
go build -trimpath -o "$work/zonewalk" .
go build -trimpath -o "$work/synthgen" ./app/internal/synth/synthgen
"$work/synthgen" -hosts "$hosts" -bytes "$bytes" -pcap "$work/big.pcap" >/dev/null
size=$(stat -c %s "$work/big.pcap")
echo "capture: $((size / 1048576)) MiB, $hosts hosts (synthetic plant, seed 1)"

measure() { # LABEL COMMAND...: prints wall seconds and peak RSS in MB
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  read -r wall kb <"$work/time"
  printf '%-34s %8.2f s %8.1f MB peak RSS\n' "$label" "$wall" "$(echo "$kb / 1024" | bc -l)" >&2
  echo "$wall"
}

# Cold file cache for neither: read the file once so both start warm.
cat "$work/big.pcap" >/dev/null
"$work/zonewalk" init --workspace "$work/ws" --title "Bench" --unencrypted >/dev/null 2>&1
zw=$(measure "zonewalk traffic import" "$work/zonewalk" traffic import --workspace "$work/ws" "$work/big.pcap")
head -1 "$work/out"
ts=$(measure "tshark -q -z conv,tcp" tshark -r "$work/big.pcap" -q -z conv,tcp)
printf 'ratio zonewalk / tshark: %.3f (target ≤ 0.5)\n' "$(echo "$zw / $ts" | bc -l)"

# A conn.log of 1,000,000 connections: the small scenario's lines repeated
# with fresh UIDs and 2,500 client addresses (a plant's worth of hosts).
"$work/synthgen" -scenario small -zeek "$work/small" >/dev/null
mkdir -p "$work/zeek"
awk -F'\t' 'BEGIN{OFS="\t"} /^#/ && !/^#close/ {print; next} /^#/ {next}
  {rows[++n]=$0} END{
    for (i = 0; i < 1000000; i++) { split(rows[i % n + 1], f, "\t"); f[2] = "Cb" i;
      f[3] = "10.200." int(i / 250) % 10 "." (i % 250 + 1);
      line = f[1]; for (j = 2; j <= length(f); j++) line = line OFS f[j]; print line }
  }' "$work/small/conn.log" >"$work/zeek/conn.log"
lines=$(grep -vc '^#' "$work/zeek/conn.log")
"$work/zonewalk" init --workspace "$work/ws2" --title "Bench" --unencrypted >/dev/null 2>&1
measure "zonewalk traffic import conn.log" "$work/zonewalk" traffic import --workspace "$work/ws2" "$work/zeek/conn.log" >/dev/null
head -1 "$work/out"
echo "conn.log: $lines lines"
