#!/usr/bin/env bash
# Cold versus warm runs: the first run decodes every input and writes every
# file; the second, with nothing changed, takes every input from the SQLite
# cache (stat only) and rewrites nothing.
#
#   bench/incremental.sh DATA_DIR [WORK_DIR]
#
# DATA_DIR is what `node bench/gen/gen.mjs DATA_DIR` wrote; its
# bulk/ folder holds 2,000 FIT activities. The 50-athlete roster (a year of
# FIT history each) is generated into WORK_DIR by tests/interop/make_roster.mjs.
# "Cold" starts with no cache and an empty output folder; the page cache is
# warm in both cases (the files are read once beforehand), so the figures
# compare decoding against the cache, not the disk. Set US_CLI to time an
# existing binary instead of building build-bench/.
set -euo pipefail
data=${1:?usage: bench/incremental.sh DATA_DIR [WORK_DIR]}
work=${2:-/tmp/ultrastrength-incremental}
root=$(cd "$(dirname "$0")/.." && pwd)
if [[ -z ${US_CLI:-} ]]; then
  cmake -S "$root" -B "$root/build-bench" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DUS_BUILD_TESTS=OFF >/dev/null
  cmake --build "$root/build-bench" --target ultrastrength >/dev/null
  US_CLI=$root/build-bench/src/cli/ultrastrength
fi
us=$US_CLI
runs=${US_BENCH_RUNS:-3}
mkdir -p "$work"
stats=$(mktemp)
trap 'rm -f "$stats"' EXIT

# seconds CMD...: wall time of one run.
seconds() {
  /usr/bin/time -o "$stats" -f '%e' "$@" >/dev/null 2>&1 || true
  cat "$stats"
}
median() { sort -g | sed -n "$(((runs + 1) / 2))p"; }

# case NAME SETUP_FOLDER CMD...: cold (no cache, no outputs) then warm (median of $runs).
bench_case() {
  local name=$1 out=$2; shift 2
  local cache=$work/$name.sqlite
  find "$data" "$work" -type f -name '*.fit' -exec cat {} + >/dev/null 2>&1 || true
  local colds=() warms=()
  for ((i = 0; i < runs; i++)); do
    rm -rf "$cache" "$cache"-wal "$cache"-shm "$out"
    colds+=("$(seconds "$@" --cache "$cache")")
  done
  for ((i = 0; i < runs; i++)); do
    warms+=("$(seconds "$@" --cache "$cache")")
  done
  local cold warm
  cold=$(printf '%s\n' "${colds[@]}" | median)
  warm=$(printf '%s\n' "${warms[@]}" | median)
  # What the warm run did, from its own --verbose line.
  local did
  did=$("$@" --cache "$cache" --verbose 2>&1 | grep -oE '[0-9]+ files: [0-9]+ decoded.*' | tail -1 || true)
  printf '| %s | %s s | %s s | %s | %s |\n' "$name" "$cold" "$warm" \
    "$(awk -v c="$cold" -v w="$warm" 'BEGIN { if (w > 0) printf "%.0fx", c / w; else print "-" }')" "$did"
}

echo "| case | cold | warm | cold/warm | warm run |"
echo "|---|---|---|---|---|"
bench_case bulk-scan "$work/none" "$us" scan "$data/bulk"
bench_case bulk-plan "$work/bulk-plan" "$us" plan "$data/bulk" --out "$work/bulk-plan"
if [[ ! -f $work/roster/roster.csv ]]; then
  npm ci --prefix "$root/tests/interop" --silent --no-audit --no-fund >/dev/null
  node "$root/tests/interop/make_roster.mjs" "$work/roster" --athletes 50 --weeks 52 >/dev/null
fi
bench_case roster-batch "$work/roster-out" "$us" batch "$work/roster/roster.csv" --out "$work/roster-out"
