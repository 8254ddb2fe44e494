#!/usr/bin/env bash
# Our readers beside the peers, on the data `bench/gen/gen.mjs` makes.
#
#   bench/run.sh DATA_DIR [--slow-peers] [--instructions]
#
# DATA_DIR is what `node gen/gen.mjs DATA_DIR` wrote (single/ and bulk/).
# Prints in-process throughput (one core, bytes in memory), then whole-process
# wall time (median of several runs, warm page cache) and peak RSS for us and
# for Garmin's FIT SDK and gpsbabel on the same files, with the ratios.
# --slow-peers also runs the peers on the 2,000-file bulk folder (~75 s).
# --instructions also counts the instructions our decoders execute per record
# and per byte (valgrind's callgrind, decoding only): unlike times, these do
# not depend on what else the machine is doing. Figures: bench/README.md.
set -euo pipefail
data=${1:?usage: bench/run.sh DATA_DIR [--slow-peers] [--instructions]}
slow=""
instructions=""
for arg in "${@:2}"; do
  case $arg in
    --slow-peers) slow=$arg ;;
    --instructions) instructions=$arg ;;
    *) echo "bench/run.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-bench

(cd "$root" && cmake --preset bench >/dev/null) # CMakePresets.json: build-bench/
cmake --build "$build" --target read_bench ultrastrength >/dev/null
us=$build/src/cli/ultrastrength

peers=$root/bench
if [[ ! -d $peers/node_modules/@garmin/fitsdk ]]; then
  npm ci --prefix "$peers" --silent --no-audit --no-fund
fi

# measure RUNS CMD...: prints "median_seconds peak_MiB" of the whole process.
measure() {
  local runs=$1; shift
  local times=() peak=0 t m
  "$@" >/dev/null 2>&1 || true  # warm the page cache
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -o "$stats" -f '%e %M' "$@" >/dev/null 2>&1 || true
    read -r t m < "$stats"
    times+=("$t"); ((m > peak)) && peak=$m
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -g | sed -n "$(((runs + 1) / 2))p")
  printf '%s %s\n' "$median" "$((peak / 1024))"
}

stats=$(mktemp)
trap 'rm -f "$stats"' EXIT

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%.1fx", b / a; else print "-" }'; }

echo "## In-process, one core (bytes already in memory)"
"$build/bench/read_bench" --min-seconds "${US_BENCH_SECONDS:-1}" "$data"/single/*.fit "$data"/single/*.tcx \
  "$data"/single/*.gpx "$data/bulk"

if [[ -n $instructions ]]; then
  echo
  echo "## Instructions executed by the decoders (callgrind, decode only, one pass)"
  printf '%-16s %14s %12s %10s\n' input instructions per-record per-byte
  bulk50=$(mktemp -d)
  cp "$data"/bulk/act_00[0-4]?.fit "$bulk50"  # the first 50 files of the bulk folder
  for f in "$data"/single/run_3h.fit "$data"/single/run_3h.tcx "$data"/single/run_3h.gpx "$bulk50"; do
    out=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect='*decode_all*' \
      "$build/bench/read_bench" --min-seconds 0 "$f" 2>"$stats")
    ir=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$stats")
    # read_bench decodes twice with --min-seconds 0 (check, then one timed pass).
    records=$(echo "$out" | awk 'NR == 2 { print $3 }')
    bytes=$(find "$f" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
    name=$(basename "$f")
    [[ $f == "$bulk50" ]] && name="bulk (50 files)"
    awk -v n="$name" -v ir="$ir" -v r="$records" -v b="$bytes" \
      'BEGIN { printf "%-16s %14.0f %12.0f %10.1f\n", n, ir / 2, ir / 2 / r, ir / 2 / b }'
  done
  rm -rf "$bulk50"
fi

echo
echo "## Whole process, one file (median wall s, peak MiB; ratio = peer time / ours)"
printf '%-16s %-16s %-18s %-18s %-8s %-8s\n' input ours fitsdk gpsbabel "vs sdk" "vs babel"
for f in "$data"/single/*.fit; do
  read -r t_us m_us < <(measure 5 "$us" scan --no-cache --json --jobs 1 "$f")
  read -r t_sdk m_sdk < <(measure 3 node "$peers/peers/fitsdk_decode.mjs" "$f")
  read -r t_gb m_gb < <(measure 3 gpsbabel -i garmin_fit -f "$f" -x nuketypes,waypoints,tracks,routes -o gpx -F /dev/null)
  printf '%-16s %-16s %-18s %-18s %-8s %-8s\n' "$(basename "$f")" "$t_us/${m_us}M" "$t_sdk/${m_sdk}M" \
    "$t_gb/${m_gb}M" "$(ratio "$t_us" "$t_sdk")" "$(ratio "$t_us" "$t_gb")"
done
for f in "$data"/single/*.tcx "$data"/single/*.gpx; do
  fmt=gtrnctr; [[ $f == *.gpx ]] && fmt=gpx
  mb=$(awk -v b="$(stat -c %s "$f")" 'BEGIN { printf "%.1f", b / 1e6 }')
  read -r t_us m_us < <(measure 3 "$us" scan --no-cache --json --jobs 1 "$f")
  read -r t_gb m_gb < <(measure 3 gpsbabel -i "$fmt" -f "$f" -x nuketypes,waypoints,tracks,routes -o gpx -F /dev/null)
  printf '%-16s %-16s %-18s %-18s %-8s %-8s  (%s MB: ours %s MB/s)\n' "$(basename "$f")" "$t_us/${m_us}M" - \
    "$t_gb/${m_gb}M" - "$(ratio "$t_us" "$t_gb")" "$mb" "$(awk -v b="$mb" -v t="$t_us" 'BEGIN { printf "%.0f", b / t }')"
done

echo
echo "## Bulk folder: $(find "$data/bulk" -type f | wc -l) files, $(du -sm "$data/bulk" | cut -f1) MB"
for jobs in 1 2; do
  read -r t m < <(measure 3 "$us" scan --no-cache --json --jobs "$jobs" "$data/bulk")
  echo "ours scan --jobs $jobs: ${t} s wall, peak ${m} MiB"
done
if [[ $slow == --slow-peers ]]; then
  read -r t m < <(measure 1 node "$peers/peers/fitsdk_decode.mjs" "$data/bulk")
  echo "fitsdk, one process: ${t} s, peak ${m} MiB"
  read -r t m < <(measure 1 bash "$peers/peers/gpsbabel_folder.sh" "$data/bulk")
  echo "gpsbabel, one process: ${t} s, peak ${m} MiB"
else
  echo "(peers on the bulk folder, measured before: fitsdk 47.6 s, gpsbabel 26.0 s / 2.8 GiB;"
  echo " rerun them here with --slow-peers)"
fi
