#!/usr/bin/env bash
# A warm rerun of `plan` (nothing changed) against a cold one, on the
# 2,000-file bulk folder of `bench/gen/gen.mjs`.
#
#   bench/warm_plan.sh DATA_DIR [RUNS] [WORK_DIR]
#
# Cold: no cache file and an empty output folder: every input decoded, the
# analysis and the plan made, every file written. Warm: the same command
# again with nothing changed: one stat of every input and a compare with the
# folder's state, no cache opened, no input read. Also timed: `--version`
# (the process start-up alone: loading the shared libraries) and the warm run
# with --verbose, which takes the inputs from the cache to list their notes
# (what a warm run did before the stat compare).
#
# Prints whole-process wall-time medians of RUNS runs (default 21; bash's
# EPOCHREALTIME around fork, exec and exit, so millisecond figures are not
# rounded to the 10 ms of `time`), the CPU time (perf stat task-clock, when
# perf works here), and with US_BENCH_CALLGRIND=1 the instructions of one
# warm run split into the dynamic loader and the program (valgrind), which do
# not depend on the load of the machine. Set US_CLI to time an existing
# binary instead of building build-bench/.
set -euo pipefail
data=${1:?usage: bench/warm_plan.sh DATA_DIR [RUNS] [WORK_DIR]}
runs=${2:-21}
work=${3:-/tmp/ultrastrength-warm-plan}
root=$(cd "$(dirname "$0")/.." && pwd)
if [[ -z ${US_CLI:-} ]]; then
  cmake -S "$root" -B "$root/build-bench" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DUS_BUILD_TESTS=OFF >/dev/null
  cmake --build "$root/build-bench" --target ultrastrength >/dev/null
  US_CLI=$root/build-bench/src/cli/ultrastrength
fi
us=$US_CLI
bulk=$data/bulk
[[ -d $bulk ]] || { echo "$bulk: no bulk folder (node bench/gen/gen.mjs $data)" >&2; exit 2; }
mkdir -p "$work"
cache=$work/features.sqlite
out=$work/out

# ms CMD...: wall milliseconds of one run, output dropped.
ms() {
  local start end
  start=$EPOCHREALTIME
  "$@" >/dev/null 2>&1 || true
  end=$EPOCHREALTIME
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f\n", (e - s) * 1000 }'
}
# median_ms N CMD...: median wall milliseconds of N runs.
median_ms() {
  local n=$1 times
  shift
  times=$(for ((i = 0; i < n; i++)); do ms "$@"; done | sort -g)
  sed -n "$(((n + 1) / 2))p" <<<"$times"
}
# cpu_ms N CMD...: mean task-clock (CPU milliseconds) of N runs, or "-".
cpu_ms() {
  local n=$1
  shift
  perf stat -x, -e task-clock -r "$n" "$@" 2>&1 >/dev/null | awk -F, '/task-clock/ { printf "%.2f", $1; found = 1 } END { if (!found) printf "-" }' ||
    printf -- "-"
}
# hf_ms N CMD...: hyperfine's median wall milliseconds of N runs, without a
# shell (-N): fork and exec timed by a small program, not bash's own fork
# (about 1-2 ms of the EPOCHREALTIME figures above). "-" without hyperfine.
hf_ms() {
  local n=$1 csv
  shift
  command -v hyperfine >/dev/null || { printf -- "-"; return; }
  csv=$(mktemp)
  local cmd
  printf -v cmd '%q ' "$@"
  hyperfine -N -w 3 -r "$n" --export-csv "$csv" -- "$cmd" >/dev/null 2>&1 &&
    awk -F, 'NR == 2 { printf "%.2f", $4 * 1000 }' "$csv" || printf -- "-"
  rm -f "$csv"
}
clear_out() { rm -rf "$cache" "$cache"-wal "$cache"-shm "$out"; }

files=$(find "$bulk" -type f | wc -l)
find "$bulk" -type f -exec cat {} + >/dev/null # page cache warm for every case
plan=("$us" plan "$bulk" --out "$out" --cache "$cache" --quiet)

cold_runs=$(((runs + 6) / 7)) # cold runs take a second each
colds=$(for ((i = 0; i < cold_runs; i++)); do clear_out; ms "${plan[@]}"; done | sort -g)
cold=$(sed -n "$(((cold_runs + 1) / 2))p" <<<"$colds")
clear_out
"${plan[@]}" >/dev/null 2>&1 || true # the state the warm runs find
check=$("$us" plan "$bulk" --out "$out" --cache "$cache" 2>&1 | tail -1)
warm=$(median_ms "$runs" "${plan[@]}")
verbose=$(median_ms "$runs" "${plan[@]}" --verbose)
startup=$(median_ms "$runs" "$us" --version)
warm_hf=$(hf_ms "$runs" "${plan[@]}")
startup_hf=$(hf_ms "$runs" "$us" --version)
warm_cpu=$(cpu_ms "$runs" "${plan[@]}")
startup_cpu=$(cpu_ms "$runs" "$us" --version)

echo "## plan on the bulk folder: $files files, $(du -sm "$bulk" | cut -f1) MB; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "warm run says: $check"
echo
echo "| run | wall (median) | wall, hyperfine -N (median) | CPU (task-clock) |"
echo "|---|---:|---:|---:|"
echo "| cold: no cache, empty folder (median of $cold_runs) | $cold ms | | |"
echo "| warm: stat compare (median of $runs) | **$warm ms** | **$warm_hf ms** | $warm_cpu ms |"
echo "| warm --verbose: inputs from the cache (median of $runs) | $verbose ms | | |"
echo "| --version: start-up alone (median of $runs) | $startup ms | $startup_hf ms | $startup_cpu ms |"
awk -v c="$cold" -v w="$warm" -v h="$warm_hf" 'BEGIN {
  if (w > 0) printf "\ncold / warm: %.0fx", c / w
  if (h + 0 > 0) printf " (%.0fx against the hyperfine median)", c / h
  printf "\n" }'

if [[ ${US_BENCH_CALLGRIND:-} == 1 ]]; then
  cg=$work/callgrind.out
  valgrind --tool=callgrind --callgrind-out-file="$cg" "${plan[@]}" >/dev/null 2>&1
  callgrind_annotate --inclusive=yes "$cg" >"$cg.txt" 2>/dev/null
  count() { awk -v re="$1" '$0 ~ re { gsub(",", "", $1); print $1; exit }' "$cg.txt"; }
  echo
  echo "instructions of one warm run (callgrind): $(count 'PROGRAM TOTALS') in all;" \
    "dynamic loader $(count 'rtld.c:_dl_start '); main() $(count '[?]:main ')"
  grep -E 'ultrastrength::' "$cg.txt" | head -8 | cut -c1-150 || true
fi
