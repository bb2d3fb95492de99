#!/usr/bin/env bash
# tests/slurm/build.sh BINDIR: korpus build --executor slurm on a running
# Slurm cluster (scripts/slurm-local start):
#   1. the sample corpus, as one JSON Lines file cut into 3 shards (byte
#      ranges), as its folder of articles cut by files, and in more shards
#      than one job array may hold, built on Slurm (job arrays per stage,
#      afterok dependencies), is the one-machine build (tests/shards/compare.py);
#   2. a shard that fails fails the build with its log named, publishes
#      nothing, and leaves no job of the build in the queue;
#   3. run again once the cause is gone, the build resumes: the tasks done
#      are not submitted again.
# Exit 0 when all holds, 1 with a message otherwise.
set -euo pipefail
bin=$(cd "${1:?usage: tests/slurm/build.sh BINDIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export PATH="$bin:$PATH" SOURCE_DATE_EPOCH=1
# the jobs run as this user, in this folder (the cluster's only node sees it)
dir=$(mktemp -d /tmp/korpus-slurm-test.XXXXXX)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
fail() {
	echo "slurm build test: FAIL: $*" >&2
	squeue -h -o '%i %j %T %r' >&2 || true
	trap - EXIT
	echo "slurm build test: files kept in $dir" >&2
	exit 1
}
ok() { echo "slurm build test: ok: $*"; }
queue_empty() { [ -z "$(squeue -h -o '%j' | grep '^korpus-' || true)" ]; }

korpus-import -q "$root/corpora/sample" -o sample.jsonl
split -n l/3 -d --additional-suffix=.jsonl sample.jsonl part
korpus-build sample.jsonl -o one -q || fail "the one-machine build"

t0=$EPOCHREALTIME
korpus-build sample.jsonl -o cut --shards 3 --executor slurm --slurm-opts "--time=10 --cpus-per-task=1" 2> cut.log ||
	{ cat cut.log >&2; fail "the 3-shard build of one file on Slurm"; }
grep -q 'stage apply: Slurm job [0-9]*, 3 tasks after job' cut.log || { cat cut.log >&2; fail "no job array per stage"; }
out=$(python3 "$root/tests/shards/compare.py" one cut) || fail "byte ranges on Slurm: $out"
ok "3 byte-range shards on Slurm: $out ($(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s)"
korpus-build "$root/corpora/sample" -o folder1 -q || fail "the one-machine build of the folder"
korpus-build "$root/corpora/sample" -o folder3 --shards 3 --partitions 2 --executor slurm -q ||
	fail "the 3-shard build of a folder on Slurm"
out=$(python3 "$root/tests/shards/compare.py" folder1 folder3) || fail "a folder on Slurm: $out"
ok "a folder of 300 articles in 3 shards, 2 partitions on Slurm: $out"
# more tasks in a stage than one job array may hold: several arrays
max=$(scontrol show config | sed -n 's/^MaxArraySize *= *//p')
n=$((max + 1))
korpus-build sample.jsonl -o many --shards $n --executor slurm 2> many.log || { cat many.log >&2; fail "$n shards on Slurm"; }
grep -q "stage map: Slurm jobs [0-9]*,[0-9]*, $n tasks" many.log || { cat many.log >&2; fail "$n map tasks not in two arrays (MaxArraySize $max)"; }
out=$(python3 "$root/tests/shards/compare.py" one many) || fail "$n shards on Slurm: $out"
ok "$n shards, arrays of at most $((max - 1)) tasks (MaxArraySize $max): $out"

# a shard that fails: an invalid line at the end of the second file
cp part01.jsonl bad.jsonl
echo '{"id": "broken", "text": ' >> bad.jsonl
if korpus-build part00.jsonl bad.jsonl part02.jsonl -o bad --shards 3 --executor slurm -q 2> bad.log; then
	fail "a build with a failing task succeeded"
fi
grep -q 'task map:1 did not finish (Slurm job [0-9]*_1: FAILED' bad.log || { cat bad.log >&2; fail "the failed task is not named"; }
grep -q "its log: $dir/bad.work/logs/map-1.log" bad.log || { cat bad.log >&2; fail "the failed task's log is not named"; }
grep -q 'invalid JSON' bad.log || { cat bad.log >&2; fail "the log's end is not shown"; }
[ ! -e bad ] || fail "a failed build published bad/"
for i in $(seq 50); do queue_empty && break; sleep 0.2; done
queue_empty || fail "jobs of the failed build are left in the queue"
ok "a failing task fails the build, its log named, nothing published, no job left"

# interrupted (SIGTERM) after some tasks: the build's jobs are cancelled,
# the tasks done kept; run again, it resumes
korpus-build part00.jsonl part01.jsonl part02.jsonl -o res --shards 3 --executor slurm -q 2> /dev/null &
pid=$!
for i in $(seq 600); do [ -d res.work/sign/2 ] && break; sleep 0.05; done
kill -TERM "$pid"
wait "$pid" && fail "an interrupted build succeeded"
for i in $(seq 50); do queue_empty && break; sleep 0.2; done
queue_empty || fail "jobs of the interrupted build are left in the queue"
[ -d res.work/map/0 ] || fail "the finished tasks were not kept"
korpus-build part00.jsonl part01.jsonl part02.jsonl -o res --shards 3 --executor slurm 2> res.log ||
	{ cat res.log >&2; fail "the resumed build"; }
grep -q 'resuming the build' res.log || { cat res.log >&2; fail "the build was not resumed"; }
if grep -q 'stage map: Slurm job' res.log; then cat res.log >&2; fail "done map tasks submitted again"; fi
out=$(python3 "$root/tests/shards/compare.py" one res) || fail "resumed on Slurm: $out"
ok "interrupted (its jobs cancelled), resumed without the tasks done: $out"
echo "slurm build test: all passed"
