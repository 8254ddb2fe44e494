#!/usr/bin/env bash
# `batch --shard K/N` and `batch merge` on a real Slurm cluster of one node:
# this script starts its own munged, slurmctld and slurmd (Debian's
# slurm-wlm packages, .ci/install-deps.sh) on this machine, with their own
# key, ports and folders, and stops them at the end.
#
# A 200-athlete roster is generated from tests/data (eight histories cut
# from tests/data/history/qjw-coros, each used by 25 athletes; one row's
# export does not exist, so that athlete fails in both kinds of run). Then:
#  1. one `batch` run plans the whole roster;
#  2. a Slurm job array (`sbatch --array=1-4`, SLURM_ARRAY_TASK_ID) plans the
#     four shards and `batch merge` joins them: the merged folder equals the
#     one run's byte for byte (every file, the state files included);
#  3. shard 3 fails (its output folder cannot be made); `batch merge` names
#     every athlete of shard 3 (computed here with FNV-1a, as docs/cluster.md
#     says), exits 3 and writes nothing; shard 3 rerun alone, the merge
#     completes and again equals the one run.
#
#   tests/cluster/shard_slurm_test.sh US_CLI SOURCE_DIR WORK_DIR
# Exit 77 (skipped) only when Slurm or munge is not installed.
set -euo pipefail
us=${1:?usage: shard_slurm_test.sh US_CLI SOURCE_DIR WORK_DIR}
src=${2:?}
work=${3:?}
export PATH=$PATH:/usr/sbin:/sbin

for tool in sbatch slurmctld slurmd munged munge; do
  command -v "$tool" >/dev/null ||
    { echo "SKIP: Slurm is not installed ($tool not found; .ci/install-deps.sh installs slurmctld slurmd slurm-client munge)"; exit 77; }
done

rm -rf "$work"
mkdir -p "$work"/{slurm/state,slurm/spool,slurm/log,munge,logs}
work=$(cd "$work" && pwd)
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if ((status != 0 && status != 77)); then
    echo "--- slurm logs"; tail -n 30 "$work"/slurm/log/*.log "$work"/logs/* 2>/dev/null || true
  fi
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

# --- the roster: 200 athletes over eight histories of 40 activities each
history=$src/tests/data/history/qjw-coros
mapfile -t activities < <(ls "$history" | sort)
((${#activities[@]} >= 330)) || fail "$history: expected the 372 activities of tests/data"
for h in 0 1 2 3 4 5 6 7; do
  mkdir -p "$work/roster/histories/h$h"
  for ((i = h * 40; i < h * 40 + 40; i++)); do
    ln -s "$history/${activities[i]}" "$work/roster/histories/h$h/${activities[i]}"
  done
done
roster=$work/roster/roster.csv
{
  echo "id,name,exports,races,level,days,trainingpeaks_athlete_id"
  levels=(novice intermediate advanced)
  for ((i = 1; i <= 200; i++)); do
    id=$(printf 'ath%03d' "$i")
    exports=histories/h$((i % 8))
    ((i == 137)) && exports=histories/missing
    tp=""; ((i % 3 == 0)) && tp=$((5000000 + i))
    race=""; ((i % 4 == 1)) && race="2024-10-19,Autumn 50K,50,2000"
    days=""; ((i % 5 == 0)) && days="mon;thu"
    echo "$id,Athlete $i,$exports,\"$race\",${levels[i % 3]},$days,$tp"
  done
} >"$roster"

# --- the cluster: munged, slurmctld and slurmd on this machine
head -c 1024 /dev/urandom >"$work/munge/key"
chmod 700 "$work/munge" && chmod 600 "$work/munge/key"
munged --force -F --socket="$work/munge/sock" --key-file="$work/munge/key" \
  --log-file="$work/munge/log" --pid-file="$work/munge/pid" --seed-file="$work/munge/seed" \
  2>"$work/munge/stderr" &
pids+=($!)
for ((i = 0; i < 50; i++)); do [[ -S $work/munge/sock ]] && break; sleep 0.1; done
[[ -S $work/munge/sock ]] || fail "munged did not start: $(cat "$work/munge/stderr")"

node=$(hostname -s)
user=$(id -un)
port=$((20000 + RANDOM % 20000))
export SLURM_CONF=$work/slurm/slurm.conf
cat >"$SLURM_CONF" <<CONF
ClusterName=ustest
SlurmctldHost=$node
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge/sock
SlurmctldPort=$port
SlurmdPort=$((port + 1))
StateSaveLocation=$work/slurm/state
SlurmdSpoolDir=$work/slurm/spool
SlurmctldPidFile=$work/slurm/slurmctld.pid
SlurmdPidFile=$work/slurm/slurmd.pid
SlurmctldLogFile=$work/slurm/log/slurmctld.log
SlurmdLogFile=$work/slurm/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
NodeName=$node CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -D -i -f "$SLURM_CONF" >"$work/slurm/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" >"$work/slurm/log/slurmd.out" 2>&1 &
pids+=($!)
for ((i = 0; i < 150; i++)); do
  sinfo -h -o '%t' 2>/dev/null | grep -qx idle && break
  sleep 0.2
done
sinfo -h -o '%t' 2>/dev/null | grep -qx idle || fail "the Slurm node did not come up"
echo "Slurm $(sinfo -V) up: node $node, $(nproc) CPUs"

# --- 1. one run
today=2024-09-01
common=(--today "$today" --jobs 1 --quiet)
rc=0
"$us" batch "$roster" --out "$work/one" --cache "$work/one.sqlite" "${common[@]}" \
  2>"$work/logs/one.err" || rc=$?
((rc == 1)) || fail "one run: exit $rc, expected 1 (one athlete's export is missing)"
[[ -f $work/one/summary.html && -f $work/one/trainingpeaks.json && -f $work/one/plans.csv ]] ||
  fail "one run: roster-wide files missing"

# --- 2. four shards as a Slurm job array, then merge
cat >"$work/shard.sh" <<JOB
#!/bin/sh
exec "$us" batch "$roster" --shard "\$SLURM_ARRAY_TASK_ID/4" --out "$work/shards/\$SLURM_ARRAY_TASK_ID" \
  --cache "$work/shards/cache-\$SLURM_ARRAY_TASK_ID.sqlite" ${common[*]}
JOB
chmod +x "$work/shard.sh"
mkdir -p "$work/shards"
sbatch --wait --array=1-4 --cpus-per-task=1 --output="$work/logs/shard-%a.log" "$work/shard.sh" >/dev/null ||
  true # the shard holding the missing export exits 1
for k in 1 2 3 4; do
  [[ -f $work/shards/$k/.ultrastrength-shard ]] || fail "shard $k/4 wrote no record: $(cat "$work/logs/shard-$k.log")"
done
rc=0
"$us" batch merge --out "$work/merged" "$work"/shards/{1,2,3,4} --quiet 2>"$work/logs/merge.err" || rc=$?
((rc == 1)) || fail "merge: exit $rc, expected 1 like the one run: $(cat "$work/logs/merge.err")"
diff -r -x .ultrastrength.lock "$work/one" "$work/merged" >"$work/logs/diff" ||
  fail "4 shards + merge differ from one run: $(head -20 "$work/logs/diff")"
echo "4 shards + merge = one run: $(find "$work/merged" -type f ! -name .ultrastrength.lock | wc -l) files, byte for byte"

# --- 3. shard 3 fails; merge names its athletes; shard 3 again alone; merge completes
rm -rf "$work/shards/3"
echo "not a folder" >"$work/shards/3" # the shard cannot make its output folder
sbatch --wait --array=3 --output="$work/logs/shard-3-failed.log" "$work/shard.sh" >/dev/null &&
  fail "shard 3 succeeded without its output folder"
rc=0
"$us" batch merge --out "$work/merged2" "$work"/shards/{1,2,3,4} >"$work/logs/merge2.out" \
  2>"$work/logs/merge2.err" || rc=$?
((rc == 3)) || fail "merge with shard 3 failed: exit $rc, expected 3"
[[ ! -e $work/merged2 ]] || [[ -z $(ls -A "$work/merged2" | grep -v '^\.ultrastrength\.lock$') ]] ||
  fail "merge with shard 3 failed wrote files: $(ls -A "$work/merged2")"
# Shard 3's athletes by FNV-1a 64 of the id, modulo 4 (docs/cluster.md).
expected=$(python3 - "$roster" <<'PY'
import csv, sys
def fnv1a(s):
    h = 0xcbf29ce484222325
    for b in s.encode():
        h = ((h ^ b) * 0x100000001b3) % 2**64
    return h
ids = [row["id"] for row in csv.DictReader(open(sys.argv[1]))]
print("\n".join(i for i in ids if fnv1a(i) % 4 == 2))
PY
)
named=$(sed -n 's/^missing: \([^ ]*\) (shard 3\/4)$/\1/p' "$work/logs/merge2.err")
[[ -n $expected && $named == "$expected" ]] ||
  fail "merge named $(echo "$named" | wc -l) missing athletes, expected $(echo "$expected" | wc -l): $(head -5 "$work/logs/merge2.err")"
grep -q "shard 3 of 4" "$work/logs/merge2.err" || fail "merge does not say which shard: $(cat "$work/logs/merge2.err")"
echo "failed shard 3: merge exit 3, named its $(echo "$named" | wc -l) athletes"

rm "$work/shards/3"
sbatch --wait --array=3 --output="$work/logs/shard-3-again.log" "$work/shard.sh" >/dev/null || true
rc=0
"$us" batch merge --out "$work/merged2" "$work"/shards/{1,2,3,4} --quiet 2>"$work/logs/merge3.err" || rc=$?
((rc == 1)) || fail "merge after shard 3 ran again: exit $rc: $(cat "$work/logs/merge3.err")"
diff -r -x .ultrastrength.lock "$work/one" "$work/merged2" >"$work/logs/diff2" ||
  fail "merge after shard 3 ran again differs from one run: $(head -20 "$work/logs/diff2")"
echo "shard 3 rerun alone: merge completes, equal to one run"
echo PASS
