#!/usr/bin/env bash
# Regenerates every sample athlete into a temporary folder and compares the
# result byte for byte with the committed files under samples/. Exits non-zero
# and names the differing files when the generator and the commit disagree.
set -euo pipefail
gen_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
samples_dir="$(dirname "$gen_dir")"

npm ci --prefix "$gen_dir" --no-audit --no-fund --loglevel=error >/dev/null

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

status=0
for name in $(node "$gen_dir/gen.mjs" --list); do
  TZ=UTC node "$gen_dir/gen.mjs" "$tmp" --athlete "$name" --quiet
  if ! diff -rq "$samples_dir/$name" "$tmp/$name" >"$tmp/diff-${name//\//_}.txt"; then
    echo "samples/$name differs from a fresh generation:" >&2
    sed "s|$tmp/|regenerated/|g; s|$samples_dir/|samples/|g" "$tmp/diff-${name//\//_}.txt" >&2
    status=1
  fi
done
if [ -f "$tmp/roster/roster.csv" ] && ! cmp -s "$samples_dir/roster/roster.csv" "$tmp/roster/roster.csv"; then
  echo "samples/roster/roster.csv differs from a fresh generation" >&2
  status=1
fi
if [ "$status" -eq 0 ]; then
  echo "samples: regenerated output is byte-identical to the committed files"
fi
exit "$status"
