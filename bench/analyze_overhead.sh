#!/usr/bin/env bash
# What `analyze` adds to `scan` on the 2,000-file bulk folder of `bench/gen/gen.mjs`.
#
#   bench/analyze_overhead.sh DATA_DIR [RUNS]
#
# DATA_DIR is what `node bench/gen/gen.mjs DATA_DIR` wrote (its bulk/ folder is
# used). Both commands decode the same files; analyze then builds the
# history, finds races and classifies the phases. Prints the median wall
# time of RUNS runs (default 5, warm page cache) and the peak RSS of each,
# for --jobs 1 and 2, and analyze's overhead over scan (target: <= 10 %).
# Under load, US_BENCH_CALLGRIND=1 adds repeatable instruction counts
# (valgrind --tool=callgrind, --jobs 1) for both.
set -euo pipefail
data=${1:?usage: bench/analyze_overhead.sh DATA_DIR [RUNS]}
runs=${2:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-bench

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DUS_BUILD_BENCH=ON \
  -DUS_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target ultrastrength >/dev/null
us=$build/src/cli/ultrastrength

stats=$(mktemp)
trap 'rm -f "$stats" "$stats".cg' EXIT

# measure CMD...: prints "median_seconds peak_MiB" of the whole process.
measure() {
  local times=() peak=0 t m
  "$@" >/dev/null 2>&1 || true  # warm the page cache
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -o "$stats" -f '%e %M' "$@" >/dev/null 2>&1 || true
    read -r t m < "$stats"
    times+=("$t"); ((m > peak)) && peak=$m
  done
  printf '%s %s\n' "$(printf '%s\n' "${times[@]}" | sort -g | sed -n "$(((runs + 1) / 2))p")" \
    "$((peak / 1024))"
}

percent() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%+.1f %%", 100 * (b - a) / a; else print "-" }'; }

bulk=$data/bulk
echo "## analyze vs scan: $(find "$bulk" -type f | wc -l) files, $(du -sm "$bulk" | cut -f1) MB (median of $runs runs)"
for jobs in 1 2; do
  read -r ts ms < <(measure "$us" scan --no-cache --json --jobs "$jobs" "$bulk")
  read -r ta ma < <(measure "$us" analyze --no-cache --json --tz UTC --jobs "$jobs" "$bulk")
  echo "--jobs $jobs: scan ${ts} s / ${ms} MiB, analyze ${ta} s / ${ma} MiB, analyze over scan $(percent "$ts" "$ta")"
done

if [[ ${US_BENCH_CALLGRIND:-} == 1 ]]; then
  instructions() {
    valgrind --tool=callgrind --callgrind-out-file="$stats".cg "$@" >/dev/null 2>"$stats"
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$stats"
  }
  is=$(instructions "$us" scan --no-cache --json --jobs 1 "$bulk")
  ia=$(instructions "$us" analyze --no-cache --json --tz UTC --jobs 1 "$bulk")
  echo "instructions (callgrind, --jobs 1): scan $is, analyze $ia, analyze over scan $(percent "$is" "$ia")"
fi
